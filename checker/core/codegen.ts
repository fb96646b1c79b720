// Compiles a declared state type into one straight-line encoder and one decoder (with `new Function`),
// so the hot path makes no virtual calls: bit fields are packed with local variables, enums become
// comparisons, records become object literals of one hidden class, sets of up to 256 elements become
// bit masks, larger sets sorted lists of indices. Kinds without a compiled form (sequences,
// partial maps) call their type's own encode/decode in place.
import { BitReader, BitWriter, bitsFor } from './bits.ts';
import { sortNumbers } from './types/collections.ts';
import { BagType, BoolType, EnumType, INDEX_ENCODED, IntType, MapType, NullableType, OUT_OF_TYPE, RecordType, SeqType, SetType, TupleType, VariantType, type Type } from './types.ts';

export interface Codec<T> {
  /** Encodes `v` into `w` from position 0 and returns the length in bytes. Throws OUT_OF_TYPE. */
  encode(v: T, w: BitWriter): number;
  decode(buf: Uint8Array, start: number, end: number): T;
  /** The same bytes as `encode(v, w)`, faster when `v` shares fields with `base` (a successor built
   *  by spreading its parent): a top-level field that is the same value (===) as `base`'s is copied
   *  from `baseBytes` (the encoding of `base`, from `baseStart`) instead of being encoded again.
   *  Absent when the type has no field that could be copied. */
  encodeDelta?(v: T, base: T, baseBytes: Uint8Array, baseStart: number, w: BitWriter): number;
  /** Every encoding is at most this many bytes (Infinity or absent when unbounded or unknown). */
  readonly maxBytes?: number;
}

function fail(): never {
  throw OUT_OF_TYPE;
}

/** An upper bound on the bits of any value of the type (Infinity if unbounded). */
function maxBits(type: Type<any>): number {
  if (type instanceof EnumType || type instanceof IntType) return type.bits;
  if (type instanceof BoolType) return 1;
  if (type instanceof RecordType) return type.keys.reduce((n, k) => n + maxBits(type.fields[k]), 0);
  if (type instanceof TupleType) return type.items.reduce((n, t) => n + maxBits(t), 0);
  if (type instanceof MapType) return type.keys().length * (maxBits(type.value) + (type.partial ? 1 : 0));
  if (type instanceof SetType) return type.elem.size > 256 ? bitsFor(type.elem.size + 1) + type.elem.size * bitsFor(type.elem.size) : type.elem.size;
  if (type instanceof BagType) return bitsFor(type.max + 1) + type.max * bitsFor(type.elem.size);
  if (type instanceof SeqType) return bitsFor(type.max + 1) + type.max * maxBits(type.elem);
  if (type instanceof VariantType) {
    return bitsFor(type.tags.length) + Math.max(...type.tags.map((tag) => maxBits(new RecordType(type.spec[tag]))));
  }
  if (type instanceof NullableType) return 1 + maxBits(type.inner);
  return Infinity;
}

class Gen {
  readonly consts: unknown[] = [];
  /** Bits pending in `acc`, when known at generation time (fixed-width prefix); null once dynamic. */
  known: number | null = 0;
  /** Bits written so far, while static (the offset of the next field in the encoding). */
  offset = 0;
  readonly lines: string[] = [];
  private n = 0;

  constant(v: unknown): string {
    let i = this.consts.indexOf(v);
    if (i < 0) i = this.consts.push(v) - 1;
    return `c${i}`;
  }
  tmp(): string {
    return `t${this.n++}`;
  }
  emit(line: string): void {
    this.lines.push(line);
  }
  /** Leaves static bit tracking: from here on `n` holds the pending bit count at run time. */
  dynamic(): void {
    if (this.known !== null) this.emit(`n = ${this.known};`);
    this.known = null;
  }
  /** The constants as local variables of the outer closure. */
  prelude(): string {
    return this.consts.map((_, i) => `const c${i} = C[${i}];`).join('\n');
  }
}

const key = (k: string | number) => JSON.stringify(String(k));

// --- index of a finite value (used for enums, set elements) --------------------------------------

function genIndex(g: Gen, type: Type<any>, expr: string): string {
  const r = g.tmp();
  let v = expr;
  if (type instanceof EnumType || type instanceof IntType || type instanceof BoolType || type instanceof NullableType) {
    // Load the value once: the tests below read it several times.
    v = g.tmp();
    g.emit(`const ${v} = ${expr};`);
  }
  if (type instanceof EnumType && type.values.length <= 8) {
    const chain = type.values.map((x, i) => `${v} === ${JSON.stringify(x)} ? ${i} : `).join('');
    g.emit(`const ${r} = ${chain}fail();`);
  } else if (type instanceof IntType) {
    g.emit(`const ${r} = ${v} - ${type.lo}; if ((${r} >>> 0) !== ${r} || ${r} > ${type.size - 1}) fail();`);
  } else if (type instanceof BoolType) {
    g.emit(`const ${r} = ${v} === true ? 1 : ${v} === false ? 0 : fail();`);
  } else if (type instanceof RecordType && type.size < 2 ** 31) {
    const o = g.tmp();
    g.emit(`const ${o} = ${v}; if (typeof ${o} !== 'object' || ${o} === null) fail();`);
    let stride = 1;
    const parts: string[] = [];
    for (const k of type.keys) {
      const f = type.fields[k];
      const i = genIndex(g, f, `${o}[${key(k)}]`);
      parts.push(stride === 1 ? i : `${i} * ${stride}`);
      stride *= f.size;
    }
    g.emit(`const ${r} = ${parts.join(' + ') || '0'};`);
  } else if (type instanceof VariantType && type.size < 2 ** 31) {
    const o = g.tmp();
    g.emit(`const ${o} = ${v}; if (typeof ${o} !== 'object' || ${o} === null) fail();`);
    g.emit(`let ${r};`);
    g.emit(`switch (${o}.type) {`);
    let offset = 0;
    for (const tag of type.tags) {
      const rec = new RecordType(type.spec[tag]);
      g.emit(`case ${JSON.stringify(tag)}: {`);
      const i = genIndex(g, rec, o);
      g.emit(`${r} = ${offset} + ${i}; break; }`);
      offset += rec.size;
    }
    g.emit('default: fail(); }');
  } else if (type instanceof NullableType && type.size < 2 ** 31) {
    g.emit(`let ${r};`);
    g.emit(`if (${v} === null) ${r} = 0; else {`);
    const i = genIndex(g, type.inner, v);
    g.emit(`${r} = 1 + ${i}; }`);
  } else {
    g.emit(`const ${r} = ${g.constant(type)}.index(${v});`);
  }
  return r;
}

// --- encoder ----------------------------------------------------------------------------------

function write(g: Gen, expr: string, bits: number): void {
  if (bits === 0) return;
  if (g.known === null) {
    g.emit(`acc |= (${expr}) << n; n += ${bits};`);
    g.emit('while (n >= 8) { buf[pos++] = acc & 255; acc >>>= 8; n -= 8; }');
    return;
  }
  // Static: the shift and the flushes are known here.
  g.emit(g.known === 0 ? `acc = ${expr};` : `acc |= (${expr}) << ${g.known};`);
  let k = g.known + bits;
  for (; k >= 8; k -= 8) g.emit('buf[pos++] = acc & 255; acc >>>= 8;');
  g.known = k;
  g.offset += bits;
}

/** Whether the type encodes into a fixed number of bits with static writes only (so a field of
 *  this type can be copied bit for bit from another encoding). */
function isStatic(type: Type<any>): boolean {
  const probe = new Gen();
  genEncode(probe, type, 'x');
  return probe.known !== null;
}

/** Writes `bits` bits copied from `bb` (from byte `bs`) at bit `at`, in pieces of at most 24 bits. */
function copyBits(g: Gen, at: number, bits: number): void {
  while (bits > 0) {
    const w = Math.min(bits, 24);
    const q = at >> 3;
    const r = at & 7;
    const parts: string[] = [];
    for (let b = 0; b * 8 < r + w; b++) parts.push(b === 0 ? `bb[bs + ${q}]` : `(bb[bs + ${q + b}] << ${8 * b})`);
    write(g, `((${parts.join(' | ')}) >>> ${r}) & ${(1 << w) - 1}`, w);
    at += w;
    bits -= w;
  }
}

/** The named parts of a record or complete map (in encoding order), or undefined for other types. */
function partsOf(type: Type<any>): readonly (readonly [string | number, Type<any>])[] | undefined {
  if (type instanceof RecordType) return type.keys.map((k) => [k, type.fields[k]] as const);
  if (type instanceof MapType && !type.partial) return type.keys().map((k) => [k, type.value] as const);
  return undefined;
}

/** Encodes `x` (of static width, at a static offset) by copying its bits from the base's bytes when
 *  it is the base's value `bx` itself; else, for a record or map, part by part the same way (one more
 *  level down, where unchanged processes or entries keep their objects), else as genEncode. */
function genShared(g: Gen, type: Type<any>, x: string, bx: string, depth: number): void {
  const known = g.known!;
  const at = g.offset;
  // The width, from a scratch generator; then both branches, which end in the same static state.
  const probe = new Gen();
  probe.known = known;
  genEncode(probe, type, 'x');
  g.emit(`if (${x} === ${bx}) {`);
  copyBits(g, at, probe.offset);
  const after = { known: g.known, offset: g.offset };
  g.emit('} else {');
  g.known = known;
  g.offset = at;
  const parts = depth > 0 ? partsOf(type) : undefined;
  // Down a level only where a part is itself a structure: a scalar encodes as fast as it copies.
  if (parts && parts.some(([, t]) => partsOf(t) !== undefined)) {
    const b = g.tmp();
    g.emit(`if (typeof ${x} !== 'object' || ${x} === null) fail(); const ${b} = ${bx};`);
    for (const [k, t] of parts) {
      const xk = g.tmp();
      g.emit(`const ${xk} = ${x}[${key(k)}];`);
      if (partsOf(t) !== undefined) genShared(g, t, xk, `${b}[${key(k)}]`, depth - 1);
      else genEncode(g, t, xk);
    }
  } else genEncode(g, type, x);
  if (g.known !== after.known || g.offset !== after.offset) throw new Error('codegen: a shared part is not of static width');
  g.emit('}');
}

/** The delta encoder of a record: each top-level field of static width that is === the base's is
 *  copied from the base's bytes (and so, one level down, are the unchanged parts of a changed
 *  record or map); the rest is encoded as by genEncode. False when no field can be copied. */
function genEncodeDelta(g: Gen, type: RecordType<any>): boolean {
  let copies = 0;
  g.emit(`const t0 = v; if (typeof t0 !== 'object' || t0 === null) fail();`);
  g.tmp();
  for (const k of type.keys) {
    const f = type.fields[k];
    const x = g.tmp();
    g.emit(`const ${x} = t0[${key(k)}];`);
    if (g.known === null || !isStatic(f)) {
      genEncode(g, f, x);
      continue;
    }
    copies++;
    genShared(g, f, x, `b[${key(k)}]`, 1);
  }
  return copies > 0;
}

function genEncode(g: Gen, type: Type<any>, v: string): void {
  if (type instanceof EnumType || type instanceof IntType || type instanceof BoolType) {
    write(g, genIndex(g, type, v), type instanceof BoolType ? 1 : type.bits);
  } else if (type instanceof RecordType) {
    const o = g.tmp();
    g.emit(`const ${o} = ${v}; if (typeof ${o} !== 'object' || ${o} === null) fail();`);
    for (const k of type.keys) genEncode(g, type.fields[k], `${o}[${key(k)}]`);
  } else if (type instanceof MapType && !type.partial) {
    const o = g.tmp();
    g.emit(`const ${o} = ${v}; if (typeof ${o} !== 'object' || ${o} === null) fail();`);
    for (const k of type.keys()) genEncode(g, type.value, `${o}[${key(k)}]`);
  } else if (type instanceof SetType && type.elem.size <= 24) {
    const a = g.tmp();
    const m = g.tmp();
    const j = g.tmp();
    g.emit(`const ${a} = ${v}; if (!Array.isArray(${a})) fail(); let ${m} = 0;`);
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    const i = genIndex(g, type.elem, `${a}[${j}]`);
    g.emit(`${m} |= 1 << ${i}; }`);
    write(g, m, type.elem.size);
  } else if (type instanceof SetType && type.elem.size <= 256) {
    // 25 to 256 elements: one bit per element too, gathered in 32-bit words and written 16 bits at a
    // time in element order (the same bits as SetType.encode), with the elements' indices compiled.
    const size = type.elem.size;
    const words = g.constant(new Uint32Array(Math.ceil(size / 32)));
    const a = g.tmp();
    const j = g.tmp();
    g.emit(`const ${a} = ${v}; if (!Array.isArray(${a})) fail(); ${words}.fill(0);`);
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    const i = genIndex(g, type.elem, `${a}[${j}]`);
    g.emit(`${words}[${i} >>> 5] |= 1 << (${i} & 31); }`);
    for (let k = 0, left = size; left > 0; k++) {
      const lo = Math.min(16, left);
      write(g, `(${words}[${k}] & 65535)`, lo);
      left -= lo;
      if (left > 0) {
        const hi = Math.min(16, left);
        write(g, `(${words}[${k}] >>> 16)`, hi);
        left -= hi;
      }
    }
  } else if (type instanceof SetType) {
    // More than 256 elements: the count, then the indices in ascending order without repeats (as
    // SetType.encode), with the elements' indices compiled.
    const size = type.elem.size;
    const idx = g.constant([] as number[]);
    const a = g.tmp();
    const j = g.tmp();
    const m = g.tmp();
    g.emit(`const ${a} = ${v}; if (!Array.isArray(${a})) fail();`);
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    const i = genIndex(g, type.elem, `${a}[${j}]`);
    g.emit(`${idx}[${j}] = ${i}; }`);
    g.emit(`${g.constant(sortNumbers)}(${idx}, ${a}.length); let ${m} = 0;`);
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) if (${j} === 0 || ${idx}[${j}] !== ${idx}[${j} - 1]) ${idx}[${m}++] = ${idx}[${j}];`);
    g.dynamic();
    write(g, m, bitsFor(size + 1));
    g.emit(`for (let ${j} = 0; ${j} < ${m}; ${j}++) {`);
    write(g, `${idx}[${j}]`, bitsFor(size));
    g.emit('}');
  } else if ((type instanceof VariantType || type instanceof NullableType) && type.size <= INDEX_ENCODED) {
    write(g, genIndex(g, type, v), bitsFor(type.size));
  } else if (type instanceof BagType) {
    // Count, then the elements' indices in ascending order (insertion sort: bags are small).
    const a = g.tmp();
    const idx = g.constant([] as number[]);
    const j = g.tmp();
    const x = g.tmp();
    g.emit(`const ${a} = ${v}; if (!Array.isArray(${a}) || ${a}.length > ${type.max}) fail();`);
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    const i = genIndex(g, type.elem, `${a}[${j}]`);
    g.emit(`let ${x} = ${j} - 1; while (${x} >= 0 && ${idx}[${x}] > ${i}) { ${idx}[${x} + 1] = ${idx}[${x}]; ${x}--; } ${idx}[${x} + 1] = ${i}; }`);
    g.dynamic();
    write(g, `${a}.length`, bitsFor(type.max + 1));
    g.emit(`for (let ${j} = 0; ${j} < ${a}.length; ${j}++) {`);
    write(g, `${idx}[${j}]`, bitsFor(type.elem.size));
    g.emit('}');
  } else if (type instanceof VariantType) {
    g.dynamic();
    const o = g.tmp();
    g.emit(`const ${o} = ${v}; if (typeof ${o} !== 'object' || ${o} === null) fail();`);
    g.emit(`switch (${o}.type) {`);
    const tagBits = bitsFor(type.tags.length);
    type.tags.forEach((tag, id) => {
      g.emit(`case ${JSON.stringify(tag)}: {`);
      write(g, String(id), tagBits);
      const fields = type.spec[tag];
      for (const k of Object.keys(fields)) genEncode(g, fields[k], `${o}[${key(k)}]`);
      g.emit('break; }');
    });
    g.emit('default: fail(); }');
  } else if (type instanceof NullableType) {
    g.dynamic();
    const o = g.tmp();
    g.emit(`const ${o} = ${v};`);
    g.emit(`if (${o} === null) {`);
    write(g, '0', 1);
    g.emit('} else {');
    write(g, '1', 1);
    genEncode(g, type.inner, o);
    g.emit('}');
  } else {
    // In place: hand the bit state to the type's own encoder and take it back.
    g.dynamic();
    g.emit('w.pos = pos; w.acc = acc; w.nbits = n;');
    g.emit(`${g.constant(type)}.encode(${v}, w);`);
    g.emit('buf = w.buf; pos = w.pos; acc = w.acc; n = w.nbits;');
  }
}

// --- decoder ----------------------------------------------------------------------------------

function read(g: Gen, bits: number): string {
  const r = g.tmp();
  if (bits === 0) {
    g.emit(`const ${r} = 0;`);
    return r;
  }
  const mask = (1 << bits) - 1;
  if (g.known === null) {
    g.emit(`while (n < ${bits}) { acc |= buf[pos++] << n; n += 8; }`);
    g.emit(`const ${r} = acc & ${mask}; acc >>>= ${bits}; n -= ${bits};`);
    return r;
  }
  let k = g.known;
  for (; k < bits; k += 8) g.emit(k === 0 ? 'acc = buf[pos++];' : `acc |= buf[pos++] << ${k};`);
  g.emit(`const ${r} = acc & ${mask}; acc >>>= ${bits};`);
  g.known = k - bits;
  return r;
}

function genDecode(g: Gen, type: Type<any>): string {
  if (type instanceof EnumType) return `${g.constant(type.values)}[${read(g, type.bits)}]`;
  if (type instanceof IntType) return `(${type.lo} + ${read(g, type.bits)})`;
  if (type instanceof BoolType) return `(${read(g, 1)} === 1)`;
  if (type instanceof RecordType) return genObject(g, type.keys, (k) => type.fields[k]);
  if (type instanceof MapType && !type.partial) return genObject(g, type.keys(), () => type.value);
  if (type instanceof SetType && type.elem.size <= 24) {
    const m = read(g, type.elem.size);
    const mm = g.tmp();
    const a = g.tmp();
    const elems = g.constant(Array.from({ length: type.elem.size }, (_, i) => type.elem.at(i)));
    g.emit(`let ${mm} = ${m}; const ${a} = [];`);
    g.emit(`while (${mm} !== 0) { ${a}.push(${elems}[31 - Math.clz32(${mm} & -${mm})]); ${mm} &= ${mm} - 1; }`);
    return a;
  }
  if (type instanceof SetType && type.elem.size <= 256) {
    const elems = g.constant(Array.from({ length: type.elem.size }, (_, i) => type.elem.at(i)));
    const a = g.tmp();
    g.emit(`const ${a} = [];`);
    for (let base = 0, left = type.elem.size; left > 0; ) {
      const bits = Math.min(16, left);
      const m = read(g, bits);
      const mm = g.tmp();
      g.emit(`for (let ${mm} = ${m}; ${mm} !== 0; ${mm} &= ${mm} - 1) ${a}.push(${elems}[${base + 31} - Math.clz32(${mm} & -${mm})]);`);
      base += bits;
      left -= bits;
    }
    return a;
  }
  if (type instanceof SetType) {
    g.dynamic();
    const count = read(g, bitsFor(type.elem.size + 1));
    const a = g.tmp();
    const k = g.tmp();
    g.emit(`const ${a} = new Array(${count});`);
    g.emit(`for (let ${k} = 0; ${k} < ${count}; ${k}++) {`);
    const i = read(g, bitsFor(type.elem.size));
    g.emit(`${a}[${k}] = ${g.constant(type.elem)}.at(${i}); }`);
    return a;
  }
  if ((type instanceof VariantType || type instanceof NullableType) && type.size <= INDEX_ENCODED) {
    return `${g.constant(type)}.at(${read(g, bitsFor(type.size))})`;
  }
  if (type instanceof BagType) {
    g.dynamic();
    const count = read(g, bitsFor(type.max + 1));
    const a = g.tmp();
    const k = g.tmp();
    g.emit(`const ${a} = new Array(${count});`);
    g.emit(`for (let ${k} = 0; ${k} < ${count}; ${k}++) {`);
    const i = read(g, bitsFor(type.elem.size));
    g.emit(`${a}[${k}] = ${g.constant(type.elem)}.at(${i}); }`);
    return a;
  }
  if (type instanceof VariantType) {
    g.dynamic();
    const tag = read(g, bitsFor(type.tags.length));
    const r = g.tmp();
    g.emit(`let ${r};`);
    g.emit(`switch (${tag}) {`);
    type.tags.forEach((name, id) => {
      g.emit(`case ${id}: {`);
      const fields = type.spec[name];
      const obj = genObject(g, Object.keys(fields), (k) => fields[k], { type: JSON.stringify(name) });
      g.emit(`${r} = ${obj}; break; }`);
    });
    g.emit('}');
    return r;
  }
  if (type instanceof NullableType) {
    g.dynamic();
    const bit = read(g, 1);
    const r = g.tmp();
    g.emit(`let ${r} = null;`);
    g.emit(`if (${bit} === 1) {`);
    const inner = genDecode(g, type.inner);
    g.emit(`${r} = ${inner}; }`);
    return r;
  }
  g.dynamic();
  const r = g.tmp();
  g.emit('R.buf = buf; R.pos = pos; R.end = end; R.acc = acc; R.nbits = n;');
  g.emit(`const ${r} = ${g.constant(type)}.decode(R);`);
  g.emit('pos = R.pos; acc = R.acc; n = R.nbits;');
  return r;
}

/** Decodes fields in order into temporaries, then builds one object literal (one hidden class). */
function genObject(g: Gen, keys: readonly (string | number)[], typeOf: (k: any) => Type<any>, fixed: Record<string, string> = {}): string {
  const parts = Object.entries(fixed).map(([k, e]) => `${key(k)}: ${e}`);
  for (const k of keys) {
    const e = genDecode(g, typeOf(k));
    const t = g.tmp();
    g.emit(`const ${t} = ${e};`);
    parts.push(`${key(k)}: ${t}`);
  }
  return `{ ${parts.join(', ')} }`;
}

// --- compile ------------------------------------------------------------------------------------

const cache = new WeakMap<Type<any>, Codec<any>>();

/** The compiled codec of a type (cached per type object). */
export function codecFor<T>(type: Type<T>): Codec<T> {
  let c = cache.get(type) as Codec<T> | undefined;
  if (!c) {
    c = type.kind === 'any' ? interpreted(type) : compile(type);
    cache.set(type, c);
  }
  return c;
}

/** The type's own (interpreted) encode/decode: for the generic type, and to test the compiled ones against. */
export function interpreted<T>(type: Type<T>): Codec<T> {
  const r = new BitReader();
  return {
    maxBytes: Infinity,
    encode(v, w) {
      w.reset();
      type.encode(v, w);
      return w.finish();
    },
    decode: (buf, start, end) => type.decode(r.reset(buf, start, end)),
  };
}

function compile<T>(type: Type<T>): Codec<T> {
  const bound = maxBits(type);
  const bytes = Number.isFinite(bound) ? Math.ceil(bound / 8) + 8 : 1 << 16;
  const ge = new Gen();
  genEncode(ge, type, 'v');
  const encSrc = `${ge.prelude()}
return function encode(v, w) {
  if (w.buf.length < ${bytes}) w.ensure(${bytes});
  let buf = w.buf, pos = 0, acc = 0, n = 0;
  ${ge.lines.join('\n  ')}
  if (${ge.known === null ? 'n' : ge.known} > 0) buf[pos++] = acc & 255;
  w.pos = pos; w.acc = 0; w.nbits = 0;
  return pos;
};`;
  const gd = new Gen();
  const result = genDecode(gd, type);
  const decSrc = `${gd.prelude()}
return function decode(buf, start, end) {
  let pos = start, acc = 0, n = 0;
  ${gd.lines.join('\n  ')}
  return ${result};
};`;
  const encode = new Function('C', 'fail', encSrc)(ge.consts, fail) as Codec<T>['encode'];
  const decode = new Function('C', 'R', decSrc)(gd.consts, new BitReader()) as Codec<T>['decode'];
  const maxBytes = Number.isFinite(bound) ? Math.ceil(bound / 8) : Infinity;
  const gx = new Gen();
  if (!(type instanceof RecordType) || !genEncodeDelta(gx, type)) return { encode, decode, maxBytes };
  const deltaSrc = `${gx.prelude()}
return function encodeDelta(v, b, bb, bs, w) {
  if (w.buf.length < ${bytes}) w.ensure(${bytes});
  let buf = w.buf, pos = 0, acc = 0, n = 0;
  ${gx.lines.join('\n  ')}
  if (${gx.known === null ? 'n' : gx.known} > 0) buf[pos++] = acc & 255;
  w.pos = pos; w.acc = 0; w.nbits = 0;
  return pos;
};`;
  const encodeDelta = new Function('C', 'fail', deltaSrc)(gx.consts, fail) as Codec<T>['encodeDelta'];
  return { encode, decode, encodeDelta, maxBytes };
}
