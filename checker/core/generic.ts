// The generic canonical encoder, for specs that do not declare their state types.
// It accepts plain data (objects, arrays, strings, numbers, booleans, null), JS Set and Map, and
// Immutable.js collections. Object keys, set elements and map entries are sorted, so two equal
// values encode to the same bytes whatever their insertion order. It is several times slower
// than a declared type: every value carries a tag and every collection is sorted.
import { isImmutable, isList, isMap, isOrderedMap, isOrderedSet, isSet, List, Map as IMap, Set as ISet } from 'immutable';
import { BitReader, BitWriter } from './bits.ts';
import { OUT_OF_TYPE, type Kind, type Type } from './types.ts';

const enum Tag {
  Null = 0, False, True, Int, Float, Str, Arr, Obj, JsSet, JsMap, IList, ISet, IMap, Undef,
}

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);

function writeVarint(w: BitWriter, n: number): void {
  while (n >= 128) {
    w.write((n & 127) | 128, 8);
    n = Math.floor(n / 128);
  }
  w.write(n, 8);
}

function readVarint(r: BitReader): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const b = r.read(8);
    n += (b & 127) * scale;
    if (b < 128) return n;
    scale *= 128;
  }
}

function writeString(w: BitWriter, s: string): void {
  writeVarint(w, s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    w.write(c & 255, 8);
    w.write(c >>> 8, 8);
  }
}

function readString(r: BitReader): string {
  const n = readVarint(r);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.read(8) | (r.read(8) << 8));
  return s;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Encodes `v` alone and returns its bytes (used to sort collection elements). */
function encodeAlone(v: unknown): Uint8Array {
  const w = new BitWriter(32);
  encodeValue(v, w);
  w.finish();
  return w.bytes();
}

function writeSorted(w: BitWriter, tag: Tag, parts: Uint8Array[]): void {
  parts.sort(compareBytes);
  w.write(tag, 8);
  writeVarint(w, parts.length);
  for (const p of parts) for (let i = 0; i < p.length; i++) w.write(p[i], 8);
}

function encodeValue(v: unknown, w: BitWriter): void {
  switch (typeof v) {
    case 'boolean':
      w.write(v ? Tag.True : Tag.False, 8);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && v >= 0) {
        w.write(Tag.Int, 8);
        writeVarint(w, v);
      } else {
        w.write(Tag.Float, 8);
        f64[0] = v;
        for (let i = 0; i < 8; i++) w.write(f64bytes[i], 8);
      }
      return;
    case 'string':
      w.write(Tag.Str, 8);
      writeString(w, v);
      return;
    case 'undefined':
      w.write(Tag.Undef, 8);
      return;
    case 'object':
      break;
    default:
      throw OUT_OF_TYPE;
  }
  if (v === null) {
    w.write(Tag.Null, 8);
    return;
  }
  if (Array.isArray(v)) {
    w.write(Tag.Arr, 8);
    writeVarint(w, v.length);
    for (const x of v) encodeValue(x, w);
    return;
  }
  if (v instanceof Set) {
    writeSorted(w, Tag.JsSet, Array.from(v, encodeAlone));
    return;
  }
  if (v instanceof Map) {
    writeSorted(w, Tag.JsMap, Array.from(v, ([k, x]) => encodeAlone([k, x])));
    return;
  }
  if (isImmutable(v)) {
    if (isList(v)) {
      w.write(Tag.IList, 8);
      writeVarint(w, v.size);
      for (const x of v) encodeValue(x, w);
    } else if (isSet(v) || isOrderedSet(v)) {
      writeSorted(w, Tag.ISet, Array.from(v as Iterable<unknown>, encodeAlone));
    } else if (isMap(v) || isOrderedMap(v)) {
      const entries = Array.from((v as IMap<unknown, unknown>).entries(), (e) => encodeAlone(e));
      writeSorted(w, Tag.IMap, entries);
    } else throw OUT_OF_TYPE;
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw OUT_OF_TYPE;
  const keys = Object.keys(v).sort();
  w.write(Tag.Obj, 8);
  writeVarint(w, keys.length);
  for (const k of keys) {
    writeString(w, k);
    encodeValue((v as Record<string, unknown>)[k], w);
  }
}

function decodeValue(r: BitReader): unknown {
  const tag = r.read(8) as Tag;
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Undef:
      return undefined;
    case Tag.Int:
      return readVarint(r);
    case Tag.Float:
      for (let i = 0; i < 8; i++) f64bytes[i] = r.read(8);
      return f64[0];
    case Tag.Str:
      return readString(r);
    case Tag.Arr:
    case Tag.IList: {
      const n = readVarint(r);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(decodeValue(r));
      return tag === Tag.Arr ? out : List(out);
    }
    case Tag.JsSet:
    case Tag.ISet: {
      const n = readVarint(r);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(decodeValue(r));
      return tag === Tag.JsSet ? new Set(out) : ISet(out);
    }
    case Tag.JsMap:
    case Tag.IMap: {
      const n = readVarint(r);
      const out: [unknown, unknown][] = [];
      for (let i = 0; i < n; i++) {
        const pair = decodeValue(r) as [unknown, unknown];
        out.push([pair[0], pair[1]]);
      }
      return tag === Tag.JsMap ? new Map(out) : IMap(out);
    }
    case Tag.Obj: {
      const n = readVarint(r);
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = readString(r);
        o[k] = decodeValue(r);
      }
      return o;
    }
    default:
      throw new Error(`corrupt generic encoding: tag ${tag}`);
  }
}

function explainValue(v: unknown, path: string): string | undefined {
  try {
    encodeValue(v, new BitWriter(64));
    return undefined;
  } catch (e) {
    if (e !== OUT_OF_TYPE) throw e;
  }
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return `${path} is a ${typeof v}, which a state cannot hold`;
  if (typeof v === 'object' && v !== null) {
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [`[${i}]`, x])
      : v instanceof Set || v instanceof Map || isImmutable(v)
        ? []
        : Object.entries(v).map(([k, x]) => [`.${k}`, x]);
    for (const [k, x] of entries) {
      const e = explainValue(x, path + k);
      if (e) return e;
    }
    return `${path} is an instance of ${(v as object).constructor?.name ?? 'an unknown class'}; states hold plain data, Set, Map and Immutable.js collections`;
  }
  return `${path} cannot be encoded`;
}

function showAny(v: unknown): string {
  if (v instanceof Set || isSet(v) || isOrderedSet(v)) return `{${Array.from(v as Iterable<unknown>, showAny).sort().join(', ')}}`;
  if (v instanceof Map || isMap(v) || isOrderedMap(v)) {
    return `{${Array.from((v as Map<unknown, unknown>).entries(), ([k, x]) => `${showAny(k)}: ${showAny(x)}`).sort().join(', ')}}`;
  }
  if (isList(v)) return `[${Array.from(v, showAny).join(', ')}]`;
  if (Array.isArray(v)) return `[${v.map(showAny).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).sort().map((k) => `${k}: ${showAny((v as any)[k])}`).join(', ')}}`;
  return typeof v === 'string' ? v : String(v);
}

/** JSON form that keeps the kind of collection, so a trace can be read back. */
function toJSONAny(v: unknown): unknown {
  if (v instanceof Set) return { $set: Array.from(v, toJSONAny) };
  if (v instanceof Map) return { $map: Array.from(v, ([k, x]) => [toJSONAny(k), toJSONAny(x)]) };
  if (isList(v)) return { $list: Array.from(v, toJSONAny) };
  if (isSet(v) || isOrderedSet(v)) return { $iset: Array.from(v as Iterable<unknown>, toJSONAny) };
  if (isMap(v) || isOrderedMap(v)) return { $imap: Array.from((v as IMap<unknown, unknown>).entries(), ([k, x]) => [toJSONAny(k), toJSONAny(x)]) };
  if (Array.isArray(v)) return v.map(toJSONAny);
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = toJSONAny((v as any)[k]);
    return o;
  }
  return v;
}

function fromJSONAny(j: unknown): unknown {
  if (Array.isArray(j)) return j.map(fromJSONAny);
  if (typeof j !== 'object' || j === null) return j;
  const o = j as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const pairs = (x: unknown) => (x as [unknown, unknown][]).map(([k, v]) => [fromJSONAny(k), fromJSONAny(v)] as [unknown, unknown]);
    if (keys[0] === '$set') return new Set((o.$set as unknown[]).map(fromJSONAny));
    if (keys[0] === '$map') return new Map(pairs(o.$map));
    if (keys[0] === '$list') return List((o.$list as unknown[]).map(fromJSONAny));
    if (keys[0] === '$iset') return ISet((o.$iset as unknown[]).map(fromJSONAny));
    if (keys[0] === '$imap') return IMap(pairs(o.$imap));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromJSONAny(o[k]);
  return out;
}

/** The type of any plain-data value, with the generic canonical encoding. */
export class AnyType implements Type<any> {
  readonly kind: Kind = 'any';
  readonly size = Infinity;
  index(): number {
    throw OUT_OF_TYPE;
  }
  at(): never {
    throw new Error('an undeclared type has no enumeration');
  }
  encode(v: unknown, w: BitWriter): void {
    encodeValue(v, w);
  }
  decode(r: BitReader): any {
    return decodeValue(r);
  }
  explain(v: unknown, path: string): string | undefined {
    return explainValue(v, path);
  }
  show(v: unknown): string {
    return showAny(v);
  }
  describe(): string {
    return 'any plain data';
  }
  toJSON(v: unknown): unknown {
    return toJSONAny(v);
  }
  fromJSON(j: unknown): any {
    return fromJSONAny(j);
  }
}

export const anyType = new AnyType();
