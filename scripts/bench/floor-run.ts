// The cost of a model's own TypeScript: every action on every reachable state, and every invariant,
// with nothing of the checker around them (no encoding, no visited set, no frontier). Whatever the
// engine does, one core cannot check the model faster than this. Run by scripts/bench/floor.ts in a
// process of its own:  node --import tsx scripts/bench/floor-run.ts <model.yaml>
// Prints one JSON line: { states, generated, actionsSeconds, invariantsSeconds }.
import { BitWriter } from '../../checker/core/bits.ts';
import { codecFor } from '../../checker/core/codegen.ts';
import type { Label } from '../../checker/core/spec.ts';
import { loadModelFile } from '../../checker/config/load.ts';
import { resolveModel } from '../../checker/config/resolve.ts';

const CHUNK = 1 << 16;

async function main(path: string): Promise<void> {
  const { model } = await resolveModel(loadModelFile(path));
  const codec = codecFor(model.type);
  const w = new BitWriter();
  // Every reachable state, as its bytes in one growing buffer (a Set of byte strings to dedupe).
  const seen = new Set<string>();
  let bytes = new Uint8Array(1 << 20);
  const ends: number[] = [];
  let used = 0;
  const add = (s: unknown): void => {
    const n = codec.encode(s, w);
    let key = '';
    for (let i = 0; i < n; i++) key += String.fromCharCode(w.buf[i]);
    if (seen.has(key)) return;
    seen.add(key);
    if (used + n > bytes.length) {
      const grown = new Uint8Array(2 * bytes.length);
      grown.set(bytes);
      bytes = grown;
    }
    bytes.set(w.buf.subarray(0, n), used);
    used += n;
    ends.push(used);
  };
  const decodeAt = (i: number): unknown => codec.decode(bytes, i === 0 ? 0 : ends[i - 1], ends[i]);
  for (const s of model.init) add(s);
  const collect = (_l: Label, next: unknown): void => add(next);
  for (let i = 0; i < ends.length; i++) {
    const s = decodeAt(i);
    for (const a of model.actions) a.expand(s, collect);
  }
  seen.clear();

  // Timed: the actions, then the invariants, chunk by chunk on decoded states (decoding untimed).
  // One untimed pass over the first chunk first, so the spec's functions are optimized.
  // Each successor is kept (in `last`), as the engine keeps it to encode it: no allocation the
  // actions make may be optimized away.
  let generated = 0;
  let last: unknown;
  const count = (_l: Label, next: unknown): void => {
    generated++;
    last = next;
  };
  let actionsMs = 0;
  let invariantsMs = 0;
  let sink = 0;
  for (let pass = 0; pass < 2; pass++) {
    const upto = pass === 0 ? Math.min(CHUNK, ends.length) : ends.length;
    generated = 0;
    actionsMs = 0;
    invariantsMs = 0;
    for (let from = 0; from < upto; from += CHUNK) {
      const states: unknown[] = [];
      for (let i = from; i < Math.min(from + CHUNK, upto); i++) states.push(decodeAt(i));
      const t0 = performance.now();
      for (const s of states) for (const a of model.actions) a.expand(s, count);
      const t1 = performance.now();
      for (const s of states) for (const inv of model.invariants) if (inv.holds(s)) sink++;
      actionsMs += t1 - t0;
      invariantsMs += performance.now() - t1;
    }
  }
  if (last === undefined) sink++;
  process.stdout.write(`${JSON.stringify({ states: ends.length, generated, actionsSeconds: actionsMs / 1000, invariantsSeconds: invariantsMs / 1000, sink })}\n`);
}

await main(process.argv[2] ?? 'bench/twophase-8.yaml');
