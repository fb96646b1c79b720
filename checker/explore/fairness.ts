// Fairness conditions over the action instances of a model. Each edge of the state graph carries
// the id of its action instance (its label as printed); each instance belongs to the fairness
// groups whose selector matches it. A group is one fairness condition: `weak` (if it stays enabled
// it is eventually taken) or `strong` (if it is enabled again and again it is eventually taken).
// Steps with a `fault` never belong to a group: fairness never forces a fault.
import { showParam, type Label, type Model } from '../core/spec.ts';
import type { FairnessDecl, FairnessKind } from '../core/temporal.ts';

export interface FairGroup {
  readonly kind: FairnessKind;
  /** Index of the declaration it comes from. */
  readonly decl: number;
  /** `WF(enter(i=0))`, `SF(acceptor1)`, `WF(deliver)`. */
  readonly name: string;
}

const NO_GROUPS: readonly number[] = [];

/** The role of a process: its name without the trailing number (`acceptor2` -> `acceptor`). */
function roleOf(process: string | undefined): string | undefined {
  return process === undefined ? undefined : process.replace(/\d+$/, '');
}

/** The names a selector may use: action names, roles, `role.action`, processes, `deliver`, `*`. */
export function selectorProblem(model: Model, selector: string): string | undefined {
  if (selector === '*') return undefined;
  const names = model.actions.map((a) => a.name);
  const roles = new Set(names.filter((n) => n.includes('.')).map((n) => n.slice(0, n.indexOf('.'))));
  const locals = new Set(names.map((n) => (n.includes('.') ? n.slice(n.indexOf('.') + 1) : n)));
  if (roles.size > 0) {
    locals.add('deliver');
    locals.add('timeout');
  }
  const dot = selector.indexOf('.');
  if (dot >= 0) {
    const role = selector.slice(0, dot);
    const act = selector.slice(dot + 1);
    if (!roles.has(role)) return `'${role}' is not a role (roles: ${[...roles].join(', ') || 'none, this is not a protocol'})`;
    if (!names.includes(selector) && act !== 'deliver' && act !== 'timeout') return `role ${role} has no action '${act}'`;
    return undefined;
  }
  if (roles.has(selector) || locals.has(selector)) return undefined;
  const role = roleOf(selector);
  if (role !== undefined && role !== selector && roles.has(role)) return undefined;
  const known = [...locals, ...roles];
  return `'${selector}' is ${roles.size ? 'neither an action, a role nor a process' : 'not an action'} of the model (known: ${known.join(', ')}, or * for every step)`;
}

function matcher(model: Model, selector: string): (l: Label) => boolean {
  if (selector === '*') return () => true;
  const names = model.actions.map((a) => a.name);
  const roles = new Set(names.filter((n) => n.includes('.')).map((n) => n.slice(0, n.indexOf('.'))));
  const dot = selector.indexOf('.');
  if (dot >= 0) {
    const role = selector.slice(0, dot);
    const act = selector.slice(dot + 1);
    return (l) => l.action === act && roleOf(l.process) === role;
  }
  if (roles.has(selector)) return (l) => roleOf(l.process) === selector;
  const role = roleOf(selector);
  if (role !== selector && role !== undefined && roles.has(role)) return (l) => l.process === selector;
  return (l) => l.action === selector;
}

export class FairnessIndex {
  readonly groups: FairGroup[] = [];
  /** Per action instance: its printed label and its groups. */
  readonly instKeys: string[] = [];
  readonly instGroups: (readonly number[])[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byLabel = new Map<Label, number>();
  /** Deliveries: message object (shared by equal decoded messages) -> `from>to` -> instance id. */
  private byMessage = new Map<unknown, Map<string, number>>();
  private readonly groupByKey = new Map<string, number>();
  private readonly matchers: ((l: Label) => boolean)[];

  constructor(
    private readonly model: Model,
    readonly decls: readonly FairnessDecl[],
  ) {
    this.matchers = decls.map((d) => matcher(model, d.selector));
  }

  /** The id of a label's action instance. */
  intern(label: Label): number {
    const hit = this.byLabel.get(label);
    if (hit !== undefined) return hit;
    const m = label.message;
    if (m !== undefined && typeof m === 'object' && m !== null && label.fault === undefined) {
      const ft = `${String(label.params.from)}>${String(label.params.to)}`;
      let inner = this.byMessage.get(m);
      const id = inner?.get(ft);
      if (id !== undefined) return id;
      const fresh = this.lookup(label);
      if (this.byMessage.size > 100_000) this.byMessage = new Map(); // messages decoded afresh each time
      if (!inner) this.byMessage.set(m, (inner = new Map()));
      inner.set(ft, fresh);
      return fresh;
    }
    return this.lookup(label);
  }

  private lookup(label: Label): number {
    const key = this.keyOf(label);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.instKeys.length;
      this.instKeys.push(key);
      this.instGroups.push(this.groupsOf(label, key));
      this.byKey.set(key, id);
      this.byLabel.set(label, id);
    }
    return id;
  }

  /** The instance key of a label (also used to match edges when a path is rebuilt). */
  keyOf(label: Label): string {
    const shown = this.model.showLabel(label);
    return label.fault !== undefined ? `${shown} [${label.fault}]` : shown;
  }

  private groupsOf(label: Label, key: string): readonly number[] {
    if (label.fault !== undefined) return NO_GROUPS;
    let out: number[] | undefined;
    for (let d = 0; d < this.decls.length; d++) {
      if (!this.matchers[d](label)) continue;
      const decl = this.decls[d];
      const tag = decl.kind === 'weak' ? 'WF' : 'SF';
      const per = decl.per;
      const what = Array.isArray(per)
        ? `${decl.selector}(${per.map((k) => `${k}=${showParam(label.params[k])}`).join(', ')})`
        : per === 'instance' ? key : per === 'process' && label.process !== undefined ? label.process : decl.selector;
      const gk = `${d}|${what}`;
      let g = this.groupByKey.get(gk);
      if (g === undefined) {
        g = this.groups.length;
        this.groups.push({ kind: decl.kind, decl: d, name: `${tag}(${what})` });
        this.groupByKey.set(gk, g);
      }
      (out ??= []).push(g);
    }
    return out ?? NO_GROUPS;
  }
}
