// What a space-time diagram shows, computed from a trace: a lane per process, an event per step
// with its Lamport timestamp and vector clock, an arrow per message from its send to its delivery
// (or loss), partitions, crashes, the properties at every state. Plain JSON, embedded in the page.
import { diff, listDelta, showChanges } from '../core/diff.ts';
import type { Label, Model } from '../core/spec.ts';
import { inFlight } from '../protocol/network.ts';
import type { PathStep } from '../trace/rebuild.ts';
import { showWhole } from './text.ts';

export type EventKind = 'init' | 'local' | 'deliver' | 'timeout' | 'crash' | 'restart' | 'drop' | 'duplicate' | 'partition' | 'heal' | 'fault';

export interface DiagramEvent {
  readonly i: number;
  /** Index into `lanes`, or -1 for a step of the environment (partition, heal) or of no process. */
  readonly lane: number;
  readonly kind: EventKind;
  readonly label: string;
  readonly lamport: number;
  readonly vc: readonly number[];
  /** What changed from the previous state, a line each. */
  readonly changes: readonly string[];
  /** The whole state after this step, a line per field (per process). */
  readonly state: readonly string[];
  /** Invariants at this state, and step properties of this step: true when they hold. */
  readonly props: Readonly<Record<string, boolean | null>>;
  /** Messages sent by this step (ids into `messages`). */
  readonly sends: readonly number[];
  /** The message this step delivered, dropped or duplicated. */
  readonly message?: number;
}

export interface DiagramMessage {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly text: string;
  readonly sendStep: number;
  /** The step that delivered or dropped it; null while still in flight at the end. */
  readonly endStep: number | null;
  readonly fate: 'delivered' | 'dropped' | 'in-flight' | 'gone';
  /** A copy made by a duplicate fault (`sendStep` is then the duplicating step). */
  readonly duplicate: boolean;
}

export interface DiagramSpan {
  readonly start: number;
  readonly end: number | null;
  readonly text: string;
  /** For crashes: the lane that was down. */
  readonly lane?: number;
}

export interface DiagramData {
  readonly title: string;
  readonly property?: { readonly name: string; readonly kind: string; readonly says?: string };
  /** The step at which the property is violated (the last one), when it is. */
  readonly violatedAt?: number;
  readonly lanes: readonly string[];
  /** How lanes were found: protocol processes, a process-like parameter, or one timeline. */
  readonly lanesFrom: string;
  readonly events: readonly DiagramEvent[];
  readonly messages: readonly DiagramMessage[];
  readonly partitions: readonly DiagramSpan[];
  readonly down: readonly DiagramSpan[];
  /** A liveness lasso: the step where its loop starts. */
  readonly loop?: number;
  readonly invariants: readonly string[];
  readonly stepProps: readonly string[];
}

export interface DiagramInput {
  readonly title: string;
  readonly property?: DiagramData['property'];
  readonly violated?: boolean;
  readonly loop?: number;
}

const FAULT_KINDS = new Set(['crash', 'restart', 'drop', 'duplicate', 'partition', 'heal']);

function kindOf(label: Label | null): EventKind {
  if (!label) return 'init';
  if (label.fault) return FAULT_KINDS.has(label.fault) ? (label.fault as EventKind) : 'fault';
  if (label.action === 'deliver' && label.message !== undefined) return 'deliver';
  if (label.action === 'timeout') return 'timeout';
  return 'local';
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lanes: protocol processes (role maps of the state, in role order), else a process-like parameter. */
function lanesOf(path: readonly PathStep[]): { lanes: string[]; laneOf: (l: Label | null) => number; from: string; protocol: boolean } {
  const s0 = path[0].state;
  const protocol = isPlain(s0) && 'network' in s0;
  if (protocol) {
    const lanes: string[] = [];
    for (const [k, v] of Object.entries(s0)) {
      if (k === 'network' || !isPlain(v)) continue;
      const keys = Object.keys(v);
      if (keys.length && keys.every((p) => p.startsWith(k) && /\d+$/.test(p))) lanes.push(...keys);
    }
    for (const st of path) if (st.label?.process && !lanes.includes(st.label.process)) lanes.push(st.label.process);
    const index = new Map(lanes.map((p, i) => [p, i]));
    return { lanes, laneOf: (l) => (l?.process !== undefined ? (index.get(l.process) ?? -1) : -1), from: 'processes', protocol };
  }
  // A parameter most steps have, with simple values: `i` in Peterson, `rm` in TwoPhase.
  const counts = new Map<string, number>();
  for (const st of path) {
    for (const [k, v] of Object.entries(st.label?.params ?? {})) if (typeof v === 'string' || typeof v === 'number') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const steps = path.length - 1;
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] * 2 < steps) return { lanes: ['(system)'], laneOf: () => 0, from: 'one timeline', protocol };
  const name = best[0];
  const values = [...new Set(path.flatMap((st) => (st.label && name in st.label.params ? [st.label.params[name] as string | number] : [])))];
  values.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
  const lanes = values.map((v) => `${name}=${v}`);
  const rest = path.some((st) => st.label && !(name in st.label.params));
  if (rest) lanes.push('(others)');
  const index = new Map(values.map((v, i) => [String(v), i]));
  return {
    lanes,
    laneOf: (l) => (l && name in l.params ? index.get(String(l.params[name]))! : rest ? lanes.length - 1 : -1),
    from: `parameter ${name}`,
    protocol,
  };
}

function safely(f: () => boolean): boolean | null {
  try {
    return Boolean(f());
  } catch {
    return null;
  }
}

/** The diagram of a path (`path[0]` is the initial state). */
export function diagramData(model: Model, path: readonly PathStep[], input: DiagramInput): DiagramData {
  const { lanes, laneOf, from, protocol } = lanesOf(path);
  const L = lanes.length;
  const laneIndex = new Map(lanes.map((p, i) => [p, i]));
  const clocks = lanes.map(() => new Array<number>(L).fill(0));
  const lamports = new Array<number>(L).fill(0);
  const messages: { id: number; from: number; to: number; text: string; sendStep: number; endStep: number | null; fate: DiagramMessage['fate']; duplicate: boolean; vc: number[]; lamport: number; key: string }[] = [];
  const open = new Map<string, number[]>();
  const partitions: { -readonly [K in keyof DiagramSpan]: DiagramSpan[K] }[] = [];
  const down: { -readonly [K in keyof DiagramSpan]: DiagramSpan[K] }[] = [];
  const events: DiagramEvent[] = [];
  const showMsg = (m: unknown): string => (isPlain(m) || Array.isArray(m) ? messageText(m) : String(m));
  let prevNet: string[] = [];

  for (let i = 0; i < path.length; i++) {
    const { label, state } = path[i];
    const kind = kindOf(label);
    const lane = i === 0 ? -1 : laneOf(label);
    let message: number | undefined;
    const sends: number[] = [];
    // Messages: what left the network and what appeared in it at this step.
    const net = protocol ? inFlight(state as { network: unknown }).map((e) => JSON.stringify([e.from, e.to, e.msg])) : [];
    const { added, removed } = listDelta(prevNet, net);
    prevNet = net;
    for (const key of removed) {
      const id = open.get(key)?.shift();
      if (id === undefined) continue;
      const m = messages[id];
      m.endStep = i;
      m.fate = kind === 'deliver' ? 'delivered' : kind === 'drop' ? 'dropped' : 'gone';
      if (kind === 'deliver' || kind === 'drop') message = id;
    }
    let vc: number[] = [];
    let lamport = 0;
    if (lane >= 0 && kind !== 'drop' && kind !== 'duplicate' && kind !== 'partition' && kind !== 'heal') {
      const c = clocks[lane];
      if (kind === 'deliver' && message !== undefined) {
        const m = messages[message];
        for (let k = 0; k < L; k++) c[k] = Math.max(c[k], m.vc[k] ?? 0);
        lamports[lane] = Math.max(lamports[lane], m.lamport);
      }
      c[lane]++;
      lamports[lane]++;
    }
    if (lane >= 0) {
      vc = [...clocks[lane]];
      lamport = lamports[lane];
    }
    for (const key of added) {
      const [f, t, msg] = JSON.parse(key) as [string, string, unknown];
      const duplicate = kind === 'duplicate';
      const original = duplicate ? messages.find((m) => m.endStep === null && m.key === key) : undefined;
      const id = messages.length;
      messages.push({
        id,
        from: laneIndex.get(f) ?? -1,
        to: laneIndex.get(t) ?? -1,
        text: showMsg(msg),
        sendStep: i,
        endStep: null,
        fate: 'in-flight',
        duplicate,
        vc: original ? original.vc : vc,
        lamport: original ? original.lamport : lamport,
        key,
      });
      if (duplicate) message = original?.id ?? id;
      else sends.push(id);
      (open.get(key) ?? open.set(key, []).get(key)!).push(id);
    }
    if (kind === 'partition') partitions.push({ start: i, end: null, text: label ? model.showLabel(label) : 'partition' });
    if (kind === 'heal') for (const p of partitions) if (p.end === null) p.end = i;
    if (kind === 'crash' && lane >= 0) down.push({ start: i, end: null, text: `${lanes[lane]} down`, lane });
    if (kind === 'restart' && lane >= 0) for (const d of down) if (d.lane === lane && d.end === null) d.end = i;

    const props: Record<string, boolean | null> = {};
    for (const inv of model.invariants) props[inv.name] = safely(() => inv.holds(state));
    for (const sp of model.steps) props[sp.name] = i === 0 ? null : safely(() => sp.holds(path[i - 1].state, state, label!));
    events.push({
      i,
      lane,
      kind,
      label: label ? model.showLabel(label) : 'init',
      lamport,
      vc,
      changes: i === 0 ? [] : showChanges(diff(model.type, path[i - 1].state, state)),
      state: showWhole(model, state),
      props,
      sends,
      ...(message !== undefined ? { message } : {}),
    });
  }
  return {
    title: input.title,
    ...(input.property ? { property: input.property } : {}),
    ...(input.violated ? { violatedAt: path.length - 1 } : {}),
    lanes,
    lanesFrom: from,
    events,
    messages: messages.map(({ vc: _vc, lamport: _l, key: _k, ...m }) => m),
    partitions,
    down,
    ...(input.loop !== undefined ? { loop: input.loop } : {}),
    invariants: model.invariants.map((p) => p.name),
    stepProps: model.steps.map((p) => p.name),
  };
}

/** `Prepare(bal=1)` for `{ type: 'Prepare', bal: 1 }`. */
function messageText(m: unknown): string {
  if (!isPlain(m)) return JSON.stringify(m);
  const { type, ...rest } = m;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${typeof type === 'string' ? type : 'msg'}${fields.length ? `(${fields.join(', ')})` : ''}`;
}

