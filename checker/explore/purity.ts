// Helpers for catching impure specs: freezing inputs (to find the action that mutated its input,
// once a mutation was seen), describing what a spec threw.

/** Freezes a value and everything reachable from it (plain objects and arrays). */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) for (const x of v) deepFreeze(x);
  else if (!(v instanceof Map) && !(v instanceof Set)) for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}

/** "TypeError: x is undefined" for an Error, the value otherwise. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return JSON.stringify(e) ?? String(e);
}
