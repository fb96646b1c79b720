// Temporal properties and fairness, as spec authors write them beside the invariants:
//   properties: { starvation: forEach({ i: Proc }, ({ i }) => leadsTo((s) => s.pc[i] === 'wait', (s) => s.pc[i] === 'cs')) }
//   fairness: { enter: 'weak', exit: 'strong', deliver: 'weak' }
// Behaviours are infinite; a state without successors stutters for ever. See README, "Liveness".
import type { Domains, DomainValues } from './spec.ts';
import { combinations, showParam } from './spec.ts';

export type TemporalOp = 'eventually' | 'infinitelyOften' | 'eventuallyAlways' | 'leadsTo' | 'sometimes';

/** One temporal property over states `S`. */
export interface Temporal<S> {
  readonly temporal: TemporalOp;
  readonly p: (s: S) => boolean;
  /** leadsTo only: the right side. */
  readonly q?: (s: S) => boolean;
  readonly says?: string;
}

/** One property per combination of values of the domains: `starvation[i=0]`, `starvation[i=1]`. */
export interface TemporalFamily<S> {
  readonly family: Domains;
  readonly make: (values: any) => Temporal<S>;
}

export type TemporalDef<S> = Temporal<S> | TemporalFamily<S>;

/** <>p: every behaviour reaches a state where p holds. */
export function eventually<S>(p: (s: S) => boolean, says?: string): Temporal<S> {
  return { temporal: 'eventually', p, says };
}
/** []<>p: p holds again and again, for ever. */
export function infinitelyOften<S>(p: (s: S) => boolean, says?: string): Temporal<S> {
  return { temporal: 'infinitelyOften', p, says };
}
/** <>[]p: from some point on p holds for ever (stability). */
export function eventuallyAlways<S>(p: (s: S) => boolean, says?: string): Temporal<S> {
  return { temporal: 'eventuallyAlways', p, says };
}
/** p ~> q: whenever p holds, q holds then or later. */
export function leadsTo<S>(p: (s: S) => boolean, q: (s: S) => boolean, says?: string): Temporal<S> {
  return { temporal: 'leadsTo', p, q, says };
}
/** Some reachable state satisfies p (a witness is reported; fails when there is none). */
export function sometimes<S>(p: (s: S) => boolean, says?: string): Temporal<S> {
  return { temporal: 'sometimes', p, says };
}
/** A family of properties, one per combination of the domains' values. */
export function forEach<S, D extends Domains>(domains: D, make: (values: DomainValues<D>) => Temporal<S>): TemporalFamily<S> {
  return { family: domains, make };
}

// --- fairness -----------------------------------------------------------------------------------

export type FairnessKind = 'weak' | 'strong';
/** What one fairness condition covers: each action instance (each parameter combination, each
 *  message; the default), each process, everything the selector matches as one condition, or, given
 *  parameter names, each combination of those parameters (`['c']`: TLA+'s `\A c : SF(\E S : A(c, S))`). */
export type FairnessPer = 'instance' | 'process' | 'whole' | readonly string[];
export type FairnessValue = FairnessKind | { readonly kind: FairnessKind; readonly per?: FairnessPer };

/** Fairness as declared: selector (action name, `role.action`, role, process, `deliver`, `*`) -> kind. */
export type FairnessDefs = Readonly<Record<string, FairnessValue>>;

export interface FairnessDecl {
  readonly selector: string;
  readonly kind: FairnessKind;
  readonly per: FairnessPer;
}

// --- the compiled form ----------------------------------------------------------------------------

/** A temporal property of a model; members of a family are named `family[k=v, ...]`. */
export interface TemporalProperty<S = any> {
  readonly name: string;
  /** The family it belongs to, when it is one of a family. */
  readonly family?: string;
  readonly op: TemporalOp;
  readonly p: (s: S) => boolean;
  readonly q?: (s: S) => boolean;
  readonly says?: string;
}

function isTemporal(v: unknown): v is Temporal<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Temporal<unknown>).temporal === 'string' && typeof (v as Temporal<unknown>).p === 'function';
}

function isFamily(v: unknown): v is TemporalFamily<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as TemporalFamily<unknown>).make === 'function' && typeof (v as TemporalFamily<unknown>).family === 'object';
}

/** The properties of a spec, families expanded. Throws on a value that is not a temporal property. */
export function compileTemporal<S>(defs: Readonly<Record<string, TemporalDef<S>>> | undefined): TemporalProperty<S>[] {
  const out: TemporalProperty<S>[] = [];
  for (const [name, d] of Object.entries(defs ?? {})) {
    if (isTemporal(d)) {
      out.push({ name, op: d.temporal, p: d.p, q: d.q, says: d.says });
    } else if (isFamily(d)) {
      for (const values of combinations(d.family)) {
        const member = d.make(values);
        if (!isTemporal(member)) throw new Error(`property ${name}: forEach(...) must give eventually(...), leadsTo(...) or another temporal property`);
        const inst = Object.entries(values).map(([k, v]) => `${k}=${showParam(v)}`).join(', ');
        out.push({ name: `${name}[${inst}]`, family: name, op: member.temporal, p: member.p, q: member.q, says: member.says });
      }
    } else {
      throw new Error(`property ${name} must be eventually(p), infinitelyOften(p), eventuallyAlways(p), leadsTo(p, q), sometimes(p) or forEach(...) (an invariant goes under invariants:)`);
    }
  }
  return out;
}

/** Normalized fairness declarations. Throws on a value that is not weak or strong. */
export function compileFairness(defs: FairnessDefs | undefined): FairnessDecl[] {
  return Object.entries(defs ?? {}).map(([selector, v]) => {
    const kind = typeof v === 'string' ? v : v?.kind;
    const per = (typeof v === 'object' && v?.per) || 'instance';
    if (kind !== 'weak' && kind !== 'strong') throw new Error(`fairness ${selector}: must be 'weak' or 'strong' (or { kind, per }), not ${JSON.stringify(v)}`);
    const names = Array.isArray(per) && per.every((x) => typeof x === 'string');
    if (per !== 'instance' && per !== 'process' && per !== 'whole' && !names) throw new Error(`fairness ${selector}: per must be instance, process, whole or a list of parameter names, not ${JSON.stringify(per)}`);
    return { selector, kind, per };
  });
}

/** How a verdict sentence starts for each operator. */
export const OP_WORD: Readonly<Record<TemporalOp, string>> = {
  eventually: 'eventually',
  infinitelyOften: 'infinitely often',
  eventuallyAlways: 'eventually always',
  leadsTo: 'leads to',
  sometimes: 'sometimes',
};
