// What changed between two states, field by field, rendered with the declared types.
import { BagType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, type Type } from './types.ts';

export interface Change {
  /** Where: `rmState.r1`, `acceptor.acceptor2.promised`. */
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  /** For sets and bags: the elements that appeared or disappeared. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The multiset difference of two lists of rendered elements. */
/** The elements of `b` not matched in `a` and of `a` not matched in `b`, counting repeats. */
export function listDelta(a: readonly string[], b: readonly string[]): { added: string[]; removed: string[] } {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const added: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else added.push(x);
  }
  const removed: string[] = [];
  for (const [x, n] of count) for (let i = 0; i < n; i++) removed.push(x);
  return { added, removed };
}

/** The changes from `a` to `b`, both values of `type`. */
export function diff(type: Type<any>, a: unknown, b: unknown, path = ''): Change[] {
  if (type instanceof RecordType) {
    return type.keys.flatMap((k) => diff(type.fields[k], (a as any)[k], (b as any)[k], join(path, k)));
  }
  if (type instanceof MapType) {
    return type.keys().flatMap((k) => {
      const x = (a as any)[k];
      const y = (b as any)[k];
      if (x === undefined && y === undefined) return [];
      if (x === undefined || y === undefined) {
        return [{ path: join(path, String(k)), before: x === undefined ? '(none)' : type.value.show(x), after: y === undefined ? '(none)' : type.value.show(y) }];
      }
      return diff(type.value, x, y, join(path, String(k)));
    });
  }
  if (type instanceof SetType || type instanceof BagType) {
    const show = (v: unknown) => (v as unknown[]).map((e) => type.elem.show(e as never));
    const xs = show(a);
    const ys = show(b);
    const { added, removed } = type instanceof SetType ? listDelta([...new Set(xs)], [...new Set(ys)]) : listDelta(xs, ys);
    return added.length || removed.length ? [{ path, added, removed }] : [];
  }
  if (type instanceof NullableType && a !== null && b !== null) return diff(type.inner, a, b, path);
  if ((type instanceof SeqType || type instanceof TupleType) && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => diff(type instanceof SeqType ? type.elem : type.items[i], x, b[i], `${path}[${i}]`));
  }
  if (type.kind === 'any' && isPlain(a) && isPlain(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diff(type, a[k], b[k], join(path, k)));
  }
  const before = type.show(a);
  const after = type.show(b);
  return before === after ? [] : [{ path, before, after }];
}

/** One line per change: `rmState.r1: working -> prepared`, `msgs: + Commit`. */
export function showChanges(changes: readonly Change[]): string[] {
  return changes.map((c) => {
    const where = c.path || '(state)';
    if (c.added || c.removed) {
      const parts = [...(c.added ?? []).map((x) => `+ ${x}`), ...(c.removed ?? []).map((x) => `- ${x}`)];
      return `${where}: ${parts.join(', ')}`;
    }
    return `${where}: ${c.before} -> ${c.after}`;
  });
}
