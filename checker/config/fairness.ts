// The `fairness:` key of a model file, checked before the schema so that a mistake in it gets one
// clear message (the schema's alternatives would give several vague ones).
import { ConfigError } from '../core/errors.ts';
import type { ModelConfig } from './model.ts';
import { describeValue, didYouMean } from './load.ts';

const KINDS = ['weak', 'strong', 'none'];
const PER = ['instance', 'process', 'whole'];
const HINT = "write fairness: none, or a mapping such as { enter: weak, exit: strong, deliver: { kind: weak, per: instance } }";

export function checkFairnessKey(data: Record<string, unknown>, file: string, locate: ModelConfig['locate']): void {
  if (!Object.hasOwn(data, 'fairness')) return;
  const f = data.fairness;
  const at = (p: (string | number)[], k: 'key' | 'value' = 'value') => ({ file, ...locate(p, k) });
  if (f === 'none') return;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) {
    throw new ConfigError('MC103', `fairness must be none or a mapping of selectors to weak / strong / none, not ${describeValue(f)}`, at(['fairness']), HINT);
  }
  for (const [sel, v] of Object.entries(f as Record<string, unknown>)) {
    if (typeof v === 'string') {
      if (!KINDS.includes(v)) throw new ConfigError('MC103', `fairness.${sel} must be one of weak, strong, none, not '${v}'`, at(['fairness', sel]), didYouMean(v, KINDS, HINT));
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new ConfigError('MC103', `fairness.${sel} must be weak, strong, none or { kind, per }, not ${describeValue(v)}`, at(['fairness', sel]), HINT);
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'kind') {
        if (x !== 'weak' && x !== 'strong') throw new ConfigError('MC103', `fairness.${sel}.kind must be weak or strong, not ${describeValue(x)}`, at(['fairness', sel, k]));
      } else if (k === 'per') {
        if (Array.isArray(x) && x.length > 0 && x.every((y) => typeof y === 'string')) continue;
        if (typeof x !== 'string' || !PER.includes(x)) throw new ConfigError('MC103', `fairness.${sel}.per must be one of ${PER.join(', ')} or a list of parameter names, not ${describeValue(x)}`, at(['fairness', sel, k]), typeof x === 'string' ? didYouMean(x, PER) : undefined);
      } else {
        throw new ConfigError('MC102', `unknown key '${k}' in fairness.${sel} (expected one of: kind, per)`, at(['fairness', sel, k], 'key'), didYouMean(k, ['kind', 'per']));
      }
    }
    if (!Object.hasOwn(v, 'kind')) throw new ConfigError('MC104', `missing required key 'kind' in fairness.${sel}`, at(['fairness', sel], 'key'), 'add kind: weak or kind: strong');
  }
}
