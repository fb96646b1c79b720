// The Informal Trace Format (ITF) of Apalache and Quint, so their trace viewers read our traces:
// `{ "#meta", "vars", "states": [{ "#meta": { index }, var: value, ... }], "loop"? }`. Values follow
// the declared types: integers as {"#bigint": "n"}, sets {"#set": [...]}, maps {"#map": [[k, v]]},
// tuples {"#tup": [...]}, records as objects, sequences as arrays, variants {"tag", "value"}.
import type { Model } from '../core/spec.ts';
import { BagType, MapType, NullableType, RecordType, SeqType, SetType, TupleType, VariantType, type Type } from '../core/types.ts';
import type { PathStep } from './rebuild.ts';

export type ItfValue = boolean | string | number | ItfValue[] | { readonly [k: string]: ItfValue };

const UNIT: ItfValue = { '#tup': [] };

function bigint(n: number): ItfValue {
  return { '#bigint': String(n) };
}

/** A value of a declared type, in ITF. */
export function itfValue(type: Type<any>, v: unknown): ItfValue {
  switch (type.kind) {
    case 'bool':
      return Boolean(v);
    case 'int':
      return bigint(v as number);
    case 'enum':
      return String(v);
    case 'record': {
      const r = type as RecordType<any>;
      return Object.fromEntries(r.keys.map((k) => [k, itfValue(r.fields[k], (v as Record<string, unknown>)[k])]));
    }
    case 'tuple': {
      const tt = type as TupleType<any>;
      return { '#tup': (v as unknown[]).map((x, i) => itfValue(tt.items[i], x)) };
    }
    case 'array':
    case 'seq':
      return (v as unknown[]).map((x) => itfValue((type as SeqType<unknown>).elem, x));
    case 'set': {
      const s = type as SetType<unknown>;
      const seen = new Set<string>();
      const out: ItfValue[] = [];
      for (const x of v as unknown[]) {
        const e = itfValue(s.elem, x);
        const key = JSON.stringify(e);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(e);
        }
      }
      return { '#set': out };
    }
    case 'bag': {
      // ITF has no multisets: a map from element to its multiplicity.
      const b = type as BagType<unknown>;
      const counts = new Map<string, [ItfValue, number]>();
      for (const x of v as unknown[]) {
        const e = itfValue(b.elem, x);
        const key = JSON.stringify(e);
        const c = counts.get(key);
        if (c) c[1]++;
        else counts.set(key, [e, 1]);
      }
      return { '#map': [...counts.values()].map(([e, n]) => [e, bigint(n)]) };
    }
    case 'map':
    case 'partialMap': {
      const m = type as MapType<any, unknown>;
      const entries: ItfValue[] = [];
      for (const k of m.keys()) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        entries.push([typeof k === 'number' ? bigint(k) : String(k), itfValue(m.value, x)]);
      }
      return { '#map': entries };
    }
    case 'variant': {
      const vt = type as VariantType<any>;
      const { type: tag, ...fields } = v as { type: string } & Record<string, unknown>;
      const spec = (vt.spec as Record<string, Record<string, Type<any>>>)[tag] ?? {};
      const keys = Object.keys(spec);
      return { tag, value: keys.length ? Object.fromEntries(keys.map((k) => [k, itfValue(spec[k], fields[k])])) : UNIT };
    }
    case 'nullable':
      return v === null ? { tag: 'None', value: UNIT } : { tag: 'Some', value: itfValue((type as NullableType<unknown>).inner, v) };
    default:
      return genericValue(v);
  }
}

/** Values of the generic encoder: numbers, strings, arrays, plain objects, JS Sets and Maps. */
function genericValue(v: unknown): ItfValue {
  if (typeof v === 'number') return Number.isInteger(v) ? bigint(v) : String(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (v === null || v === undefined) return { tag: 'None', value: UNIT };
  if (Array.isArray(v)) return v.map(genericValue);
  if (v instanceof Set) return { '#set': [...v].map(genericValue) };
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [genericValue(k), genericValue(x)]) };
  if (typeof v === 'object') {
    const o = v as { toJS?: () => unknown };
    if (typeof o.toJS === 'function') return genericValue(o.toJS());
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, genericValue((v as Record<string, unknown>)[k])]));
  }
  return String(v);
}

export interface ItfInfo {
  readonly source: string;
  readonly description: string;
  readonly loop?: number;
}

/** A path as an ITF trace. The state's fields are the variables (a state that is not a record is one variable, `state`). */
export function toItf(model: Model, path: readonly PathStep[], info: ItfInfo): Record<string, ItfValue> {
  const record = model.type instanceof RecordType ? (model.type as RecordType<any>) : undefined;
  const vars = record ? [...record.keys] : ['state'];
  const states = path.map((step, index) => {
    const v = itfValue(model.type, step.state);
    const fields = record ? (v as Record<string, ItfValue>) : { state: v };
    return { '#meta': { index, action: step.label ? model.showLabel(step.label) : 'init' }, ...fields };
  });
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: info.source, description: info.description },
    vars,
    states,
    ...(info.loop !== undefined ? { loop: info.loop } : {}),
  };
}
