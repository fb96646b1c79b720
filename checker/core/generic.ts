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
/** Ends the elements of a set or map (element encodings are self-delimiting, and no tag is 255). */
const END = 255;

// The generic encoding is whole bytes: it writes straight into the writer's buffer.
function byte(w: BitWriter, b: number): void {
  if (w.pos >= w.buf.length) w.ensure(1);
  w.buf[w.pos++] = b;
}

function writeVarint(w: BitWriter, n: number): void {
  while (n >= 128) {
    byte(w, (n & 127) | 128);
    n = Math.floor(n / 128);
  }
  byte(w, n);
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

/** Length, then each UTF-16 unit as a varint (one byte for ASCII). */
function writeString(w: BitWriter, s: string): void {
  writeVarint(w, s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) byte(w, c);
    else writeVarint(w, c);
  }
}

function readString(r: BitReader): string {
  const n = readVarint(r);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(readVarint(r));
  return s;
}

function compareRanges(b: Uint8Array, a0: number, a1: number, c0: number, c1: number): number {
  const n = Math.min(a1 - a0, c1 - c0);
  for (let i = 0; i < n; i++) if (b[a0 + i] !== b[c0 + i]) return b[a0 + i] - b[c0 + i];
  return a1 - a0 - (c1 - c0);
}

/** Writes the elements in place, then reorders them by their bytes and drops repeats: equal
 *  collections encode alike whatever their insertion order. `pairs`: the items are [key, value].
 *  (No closures here: tsx wraps named local functions, which costs on this path.) */
function writeSorted(w: BitWriter, tag: Tag, items: Iterable<unknown>, pairs: boolean): void {
  byte(w, tag);
  const start = w.pos;
  const offs: number[] = [];
  for (const x of items) {
    offs.push(w.pos - start);
    if (pairs) {
      encodeValue((x as [unknown, unknown])[0], w);
      encodeValue((x as [unknown, unknown])[1], w);
    } else encodeValue(x, w);
  }
  const end = w.pos;
  offs.push(end - start);
  const n = offs.length - 1;
  if (n > 1) {
    const copy = w.buf.slice(start, end);
    // Insertion sort of the element indices by their bytes: collections in states are small.
    const order: number[] = [0];
    for (let i = 1; i < n; i++) {
      let j = i - 1;
      while (j >= 0 && compareRanges(copy, offs[order[j]], offs[order[j] + 1], offs[i], offs[i + 1]) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
    const buf = w.buf;
    let pos = start;
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const a = offs[i];
      const b = offs[i + 1];
      if (prev >= 0 && compareRanges(copy, a, b, offs[prev], offs[prev + 1]) === 0) continue;
      for (let q = a; q < b; q++) buf[pos++] = copy[q];
      prev = i;
    }
    w.pos = pos;
  }
  byte(w, END);
}

function isSortedStrings(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

function encodeValue(v: unknown, w: BitWriter): void {
  switch (typeof v) {
    case 'boolean':
      byte(w, v ? Tag.True : Tag.False);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && v >= 0) {
        byte(w, Tag.Int);
        writeVarint(w, v);
      } else {
        byte(w, Tag.Float);
        f64[0] = v;
        for (let i = 0; i < 8; i++) byte(w, f64bytes[i]);
      }
      return;
    case 'string':
      byte(w, Tag.Str);
      writeString(w, v);
      return;
    case 'undefined':
      byte(w, Tag.Undef);
      return;
    case 'object':
      break;
    default:
      throw OUT_OF_TYPE;
  }
  if (v === null) {
    byte(w, Tag.Null);
    return;
  }
  if (Array.isArray(v)) {
    byte(w, Tag.Arr);
    writeVarint(w, v.length);
    for (let i = 0; i < v.length; i++) encodeValue(v[i], w);
    return;
  }
  if (v instanceof Set) return writeSorted(w, Tag.JsSet, v, false);
  if (v instanceof Map) return writeSorted(w, Tag.JsMap, v, true);
  if (isImmutable(v)) {
    if (isList(v)) {
      byte(w, Tag.IList);
      writeVarint(w, v.size);
      for (const x of v) encodeValue(x, w);
    } else if (isSet(v) || isOrderedSet(v)) {
      writeSorted(w, Tag.ISet, v as Iterable<unknown>, false);
    } else if (isMap(v) || isOrderedMap(v)) {
      writeSorted(w, Tag.IMap, (v as IMap<unknown, unknown>).entries(), true);
    } else throw OUT_OF_TYPE;
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw OUT_OF_TYPE;
  let keys = Object.keys(v);
  if (!isSortedStrings(keys)) keys = keys.sort();
  byte(w, Tag.Obj);
  writeVarint(w, keys.length);
  for (const k of keys) {
    writeString(w, k);
    encodeValue((v as Record<string, unknown>)[k], w);
  }
}

/** The next byte, not consumed (the generic encoding is byte-aligned). */
function peek(r: BitReader): number {
  return r.pos < r.end ? r.buf[r.pos] : END;
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
      const out: unknown[] = [];
      while (peek(r) !== END) out.push(decodeValue(r));
      r.read(8);
      return tag === Tag.JsSet ? new Set(out) : ISet(out);
    }
    case Tag.JsMap:
    case Tag.IMap: {
      const out: [unknown, unknown][] = [];
      while (peek(r) !== END) out.push([decodeValue(r), decodeValue(r)]);
      r.read(8);
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
    if (w.nbits !== 0) throw new Error('the generic encoding starts on a byte boundary');
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
