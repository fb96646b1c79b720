// Runs a synchronous function with a time limit that can stop even an infinite loop: node's vm
// module runs it under a watchdog thread that terminates the execution when time is up. Used once
// per search slice (a tenth of a second), so its cost does not show.
import { Script } from 'node:vm';

const SLOT = '__tsmcSlice';
const script = new Script(`globalThis.${SLOT}()`, { filename: 'tsmc-slice' });

export function withTimeout<T>(f: () => T, ms: number): { readonly value?: T; readonly timedOut: boolean } {
  const g = globalThis as Record<string, unknown>;
  g[SLOT] = f;
  try {
    return { value: script.runInThisContext({ timeout: Math.max(1, Math.round(ms)), breakOnSigint: false }) as T, timedOut: false };
  } catch (e) {
    if ((e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { timedOut: true };
    throw e;
  } finally {
    delete g[SLOT];
  }
}
