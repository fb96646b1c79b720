// What a handler, local action, timer or restart hook runs with: who it is, what it sends, which
// timers it sets, and the choices it makes. A handler that chooses (`ctx.pick`) is run once per
// sequence of choices, so each outcome is a successor of its own.
import { SpecError } from '../core/errors.ts';
import type { Envelope } from './network.ts';

/** What a process can do while it handles a message, runs a local action, a timer or a restart. */
export interface Ctx<M> {
  /** This process, e.g. `acceptor1`. */
  readonly self: string;
  /** This process's index within its role, from 0 (`acceptor1` has index 0). */
  readonly index: number;
  /** The sender of the message being handled (empty elsewhere). */
  readonly from: string;
  send(to: string, msg: M): void;
  /** Sends the message to each of the processes. */
  multicast(to: readonly string[], msg: M): void;
  /** Sends to every process of a role, itself included when it has that role (leave it out with
   *  `{ self: false }`). */
  broadcast(role: string, msg: M, options?: { readonly self?: boolean }): void;
  /** The processes of a role, in order (itself included). */
  peers(role: string): readonly string[];
  /** The other processes: of a role, or of every role when no role is named. */
  others(role?: string): readonly string[];
  /** Arms one of the role's timers (`timers:` in the role); it may fire at any later step. Arming an
   *  armed timer leaves it armed. */
  setTimer(name: string): void;
  /** Disarms a timer (nothing happens if it is not armed). */
  cancelTimer(name: string): void;
  /** Chooses one of the options: the step is explored once per option (nondeterminism inside a
   *  handler). An empty list means the step cannot happen this way. */
  pick<T>(options: readonly T[]): T;
}

/** Several possible next local states, all with the same sends: `return oneOf(a, b)`. */
export class OneOf<L> {
  constructor(readonly options: readonly L[]) {}
}

/** A choice of next local states: the step is explored once per state (with the same sends). */
export function oneOf<L>(...options: L[]): OneOf<L> {
  return new OneOf(options);
}

/** Thrown by `pick([])`: this sequence of choices gives no outcome. */
const NO_OPTION = Symbol('no option');

export interface TimerOp {
  readonly name: string;
  readonly set: boolean;
}

/** The one context object, reset before each run. */
export class Context implements Ctx<unknown> {
  self = '';
  index = 0;
  from = '';
  role = '';
  sent: Envelope[] = [];
  timerOps: TimerOp[] = [];
  /** The current sequence of choices: chosen index and number of options, per `pick` call. */
  private readonly chosen: number[] = [];
  private readonly counts: number[] = [];
  private depth = 0;

  constructor(
    private readonly byRole: Readonly<Record<string, readonly string[]>>,
    private readonly indexOf: ReadonlyMap<string, number>,
    private readonly roleOf: ReadonlyMap<string, string>,
    private readonly timersOf: Readonly<Record<string, readonly string[]>>,
    private readonly all: readonly string[],
  ) {}

  send(to: string, msg: unknown): void {
    this.sent.push({ from: this.self, to, msg });
  }
  multicast(to: readonly string[], msg: unknown): void {
    for (const p of to) this.sent.push({ from: this.self, to: p, msg });
  }
  broadcast(role: string, msg: unknown, options?: { readonly self?: boolean }): void {
    const skipSelf = options?.self === false;
    for (const to of this.peers(role)) if (!(skipSelf && to === this.self)) this.sent.push({ from: this.self, to, msg });
  }
  peers(role: string): readonly string[] {
    const ps = this.byRole[role];
    if (!ps) throw new SpecError('protocol', `${this.self} asks for the processes of role ${JSON.stringify(role)}, which does not exist (roles: ${Object.keys(this.byRole).join(', ')})`);
    return ps;
  }
  others(role?: string): readonly string[] {
    return (role === undefined ? this.all : this.peers(role)).filter((p) => p !== this.self);
  }
  setTimer(name: string): void {
    this.timerOp(name, true);
  }
  cancelTimer(name: string): void {
    this.timerOp(name, false);
  }
  private timerOp(name: string, set: boolean): void {
    const declared = this.timersOf[this.role] ?? [];
    if (!declared.includes(name)) {
      throw new SpecError('protocol', `${this.self} ${set ? 'sets' : 'cancels'} timer ${JSON.stringify(name)}, which role ${this.role} does not declare (its timers: ${declared.join(', ') || 'none'})`, {
        hint: `add timers: { ${name}: (s, ctx) => ... } to role ${this.role}`,
      });
    }
    this.timerOps.push({ name, set });
  }
  pick<T>(options: readonly T[]): T {
    const d = this.depth++;
    if (d < this.chosen.length) {
      if (this.counts[d] !== options.length) {
        throw new SpecError('nondeterministic', `${this.self} picks among ${options.length} options where the same step offered ${this.counts[d]} before`, {
          hint: 'the options given to ctx.pick must depend only on the state, the message and earlier picks',
        });
      }
    } else {
      this.chosen.push(0);
      this.counts.push(options.length);
    }
    if (options.length === 0) throw NO_OPTION;
    return options[this.chosen[d]];
  }

  /** Prepares a step of process `self`. */
  reset(self: string, from: string): this {
    if (self !== this.self) {
      this.self = self;
      this.index = this.indexOf.get(self)!;
      this.role = this.roleOf.get(self)!;
    }
    this.from = from;
    if (this.chosen.length !== 0) {
      this.chosen.length = 0;
      this.counts.length = 0;
    }
    return this;
  }

  /** Runs `f(s, x, ctx)` once per sequence of choices it makes (once when it makes none) and gives
   *  `sink` each next local state, while `sent` and `timerOps` hold what that run did. (A sink object
   *  rather than a callback, so that the hot path allocates no closure.) */
  runAll<S, X>(f: (s: S, x: X, ctx: Ctx<any>) => unknown, s: S, x: X, sink: Sink): void {
    for (;;) {
      this.sent = [];
      if (this.timerOps.length) this.timerOps = [];
      this.depth = 0;
      let l: unknown;
      try {
        l = f(s, x, this);
      } catch (e) {
        if (e !== NO_OPTION) throw e;
        l = null;
      }
      if (l) {
        if (l instanceof OneOf) {
          for (const o of l.options as unknown[]) if (o) sink.take(o);
        } else sink.take(l);
      }
      if (this.chosen.length === 0) return;
      // The next sequence of choices, in order: advance the last choice that has options left.
      let k = this.chosen.length - 1;
      while (k >= 0 && this.chosen[k] + 1 >= this.counts[k]) k--;
      if (k < 0) return;
      this.chosen[k]++;
      this.chosen.length = k + 1;
      this.counts.length = k + 1;
    }
  }
}

/** Receives each outcome of a step. */
export interface Sink {
  take(local: unknown): void;
}
