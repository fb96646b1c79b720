// Which parts of a protocol's global state the invariants read, recorded while they run (for the
// visibility proviso of partial-order reduction, see por.ts). A part is a field of one process's
// local state (`acceptor2.promised`), a process's whole local state when it is not a record or when
// its keys are listed (`acceptor2.*`), the network, the timers, or another top-level field.
// Invariants see a read-only view of the state that notes each part as it is read and hands out the
// part's value itself, so reading inside a part is reading the part.
import type { Invariant } from '../core/spec.ts';
import type { ProtocolStructure } from '../protocol/independence.ts';

/** The parts read so far, and a version that changes when a new one is read. */
export class ReadSet {
  readonly parts = new Set<string>();
  version = 0;
  /** Per process: every field of its local state is read (`*`), or the fields read. */
  private perProcess = new Map<string, { all: boolean; fields: string[] }>();

  add(part: string): void {
    if (this.parts.has(part)) return;
    this.parts.add(part);
    this.version++;
    const cut = part.indexOf('\u0000');
    if (cut < 0) return;
    const pid = part.slice(0, cut);
    const field = part.slice(cut + 1);
    const entry = this.perProcess.get(pid) ?? { all: false, fields: [] };
    if (field === '*') entry.all = true;
    else entry.fields.push(field);
    this.perProcess.set(pid, entry);
  }
  has(part: string): boolean {
    return this.parts.has(part);
  }
  /** What the invariants read of `pid`'s local state (undefined: nothing). */
  ofProcess(pid: string): { readonly all: boolean; readonly fields: readonly string[] } | undefined {
    return this.perProcess.get(pid);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** The object a view shows now: views are made once and pointed at each state's parts in turn
 *  (an invariant runs to completion before the next one starts). */
interface Slot {
  t: Record<string, unknown>;
}

/** A view of `slot.t` whose property reads go through `read(key)`; keys and descriptors are given
 *  on an empty target, so that a frozen or sealed state does not trip the proxy's invariants. */
function view(slot: Slot, read: (key: string) => unknown, onKeys: () => void): object {
  return new Proxy(
    {},
    {
      // Every string key is noted, present or not: an absent optional field is read too.
      get: (_t, key) => (typeof key === 'string' ? read(key) : Reflect.get(slot.t, key)),
      has: (_t, key) => {
        onKeys();
        return key in slot.t;
      },
      ownKeys: () => {
        onKeys();
        return Reflect.ownKeys(slot.t);
      },
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(slot.t, key);
        if (!d) return undefined;
        return { value: typeof key === 'string' ? read(key) : d.value, writable: false, enumerable: d.enumerable, configurable: true };
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      getPrototypeOf: () => Object.getPrototypeOf(slot.t),
    },
  );
}

/** Views of a protocol's global states that note every part read into `reads`. */
class Tracker {
  private readonly global: Slot = { t: {} };
  readonly view: object;
  private readonly roleViews = new Map<string, { slot: Slot; view: object }>();
  private readonly localViews = new Map<string, { slot: Slot; view: object }>();
  private readonly keys = new Map<string, Map<string, string>>();

  constructor(
    structure: ProtocolStructure,
    private readonly reads: ReadSet,
  ) {
    const none = () => {};
    for (const role of new Set(structure.roleOf.values())) {
      const slot: Slot = { t: {} };
      this.roleViews.set(role, { slot, view: view(slot, (pid) => this.local(slot.t, pid), none) });
    }
    for (const pid of structure.processes) {
      const slot: Slot = { t: {} };
      this.localViews.set(pid, {
        slot,
        view: view(
          slot,
          (field) => {
            this.reads.add(this.key(pid, field));
            return slot.t[field];
          },
          () => this.reads.add(this.key(pid, '*')),
        ),
      });
    }
    this.view = view(this.global, (key) => this.top(key), none);
  }

  /** The view of `g`, ready for one evaluation. */
  of(g: Record<string, unknown>): object {
    this.global.t = g;
    return this.view;
  }

  private top(key: string): unknown {
    const v = this.global.t[key];
    const rv = this.roleViews.get(key);
    if (rv === undefined || !isRecord(v)) {
      this.reads.add(key);
      return v;
    }
    // A role: its keys are its processes, the same in every state.
    rv.slot.t = v;
    return rv.view;
  }

  private local(roleMap: Record<string, unknown>, pid: string): unknown {
    const local = roleMap[pid];
    const lv = this.localViews.get(pid);
    if (lv === undefined || !isRecord(local)) {
      this.reads.add(this.key(pid, '*'));
      return local;
    }
    lv.slot.t = local;
    return lv.view;
  }

  private key(pid: string, field: string): string {
    let m = this.keys.get(pid);
    if (m === undefined) this.keys.set(pid, (m = new Map()));
    let k = m.get(field);
    if (k === undefined) m.set(field, (k = `${pid}\u0000${field}`));
    return k;
  }
}

/** The invariants, each run on a recording view of the state. */
export function recordingInvariants(invariants: readonly Invariant<unknown>[], structure: ProtocolStructure, reads: ReadSet): Invariant<unknown>[] {
  const tracker = new Tracker(structure, reads);
  return invariants.map((inv) => ({ ...inv, holds: (s: unknown) => inv.holds(tracker.of(s as Record<string, unknown>)) }));
}
