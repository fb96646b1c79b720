// While spec code runs (actions, handlers, properties, init), the clock and randomness are off
// limits: a spec that reads them is not a function of its state, and re-execution would only catch
// it by luck. The guards are swapped in once around a whole search or replay (cheap: no per-call
// cost) and the checker's own timing reads the saved originals (`clock`).
import { syncBuiltinESMExports } from 'node:module';
import nodeCrypto from 'node:crypto';
import { SpecError } from '../core/errors.ts';

/** Thrown by a guarded function; expandAll and the property wrappers turn it into a SpecError. */
export class ForbiddenCall extends Error {
  constructor(readonly call: string) {
    super(`${call} is not allowed in a spec`);
    this.name = 'ForbiddenCall';
  }
}

const realPerformanceNow = performance.now.bind(performance);
const RealDate = Date;
/** The checker's own clock, unaffected by the guards. */
export const clock = { now: realPerformanceNow };

function forbid(call: string): () => never {
  return () => {
    throw new ForbiddenCall(call);
  };
}

// `new Date(x)` stays allowed (it is a pure function of x); `new Date()` and `Date()` read the clock.
const GuardedDate: DateConstructor = new Proxy(RealDate, {
  construct(target, args, newTarget): object {
    if (args.length === 0) throw new ForbiddenCall('new Date()');
    return Reflect.construct(target, args, newTarget === GuardedDate ? target : newTarget);
  },
  apply() {
    throw new ForbiddenCall('Date()');
  },
  get(target, key, receiver) {
    if (key === 'now') return forbidDateNow;
    return Reflect.get(target, key, receiver);
  },
});
const forbidDateNow = forbid('Date.now()');

const HINT = 'actions, handlers and properties must be pure functions of the state and their parameters: ' +
  'model time as a field of the state (e.g. a bounded counter), and choice as action parameters';

/** The spec error for a forbidden call made while running `what` (an action, a property), or undefined. */
export function forbiddenCallError(e: unknown, what: string, state?: string): SpecError | undefined {
  if (!(e instanceof ForbiddenCall)) return undefined;
  return new SpecError('nondeterministic', `${what} calls ${e.call}, which makes the spec nondeterministic`, { action: what, state, hint: HINT, cause: e });
}

type Patch = readonly [target: object, key: string, fake: unknown];

const candidates: Patch[] = [
  [Math, 'random', forbid('Math.random()')],
  [performance, 'now', forbid('performance.now()')],
  [globalThis, 'Date', GuardedDate],
  ...(globalThis.crypto
    ? ([[globalThis.crypto, 'getRandomValues', forbid('crypto.getRandomValues()')], [globalThis.crypto, 'randomUUID', forbid('crypto.randomUUID()')]] satisfies Patch[])
    : []),
  // node:crypto's getRandomValues is a getter onto the Web Crypto one above.
  [nodeCrypto, 'randomBytes', forbid('crypto.randomBytes()')],
  [nodeCrypto, 'randomUUID', forbid('crypto.randomUUID()')],
  [nodeCrypto, 'randomInt', forbid('crypto.randomInt()')],
];
const patches = candidates.filter(([target, key]) => Object.getOwnPropertyDescriptor(target, key)?.configurable !== false);
const saved = patches.map(([target, key]) => Object.getOwnPropertyDescriptor(target, key));

let depth = 0;

function install(): void {
  for (const [target, key, fake] of patches) Object.defineProperty(target, key, { value: fake, writable: true, configurable: true, enumerable: false });
  syncBuiltinESMExports();
}

function uninstall(): void {
  patches.forEach(([target, key], i) => {
    const d = saved[i];
    if (d) Object.defineProperty(target, key, d);
    else delete (target as Record<string, unknown>)[key];
  });
  syncBuiltinESMExports();
}

/** Runs `f` (synchronous: nothing else may run while the guards are in) with the guards installed. */
export function guarded<T>(f: () => T): T {
  try {
    if (depth++ === 0) install();
    return f();
  } finally {
    if (--depth === 0) uninstall();
  }
}

/** Runs checker code (a progress callback) from inside a guarded region with the real globals. */
export function unguarded<T>(f: () => T): T {
  if (depth === 0) return f();
  uninstall();
  try {
    return f();
  } finally {
    install();
  }
}

/** After spec code was stopped from outside (a step timeout): no finally block ran, so the guards
 *  are taken out here. */
export function resetGuards(): void {
  if (depth === 0) return;
  depth = 0;
  uninstall();
}
