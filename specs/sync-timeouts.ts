// Synchronous timeouts for protocols, as Promela's `timeout`: a timer may fire only when nothing else
// can happen (no message can be delivered, no local action is enabled; fault steps do not count).
//
// The checker's timers are asynchronous: an armed timer may fire at any later step, before any
// message in flight arrives, which is the right model for "a timeout cannot tell a slow process from
// a crashed one" (specs/heartbeat.ts). Algorithms proved under crash-stop with accurate timeouts
// (three-phase commit, or two-phase commit's "coordinator crashed after sending Commit to one")
// assume a synchronous system: a timeout fires only once the awaited message can no longer come,
// because its sender crashed or a partition holds it back. Waiting until the system is stuck is
// that assumption, with no clock: every message that can arrive has arrived first.
//
// This wraps a protocol's compiled model from the outside: the checker has no such timer option yet
// (see the report of issue 11's specs). It recognises timer actions by their compiled name
// `<role>.timeout.<timer>` and checks that every step they give is labelled `timeout`.
import type { CompiledAction, Label, Model, SpecDefinition } from '../checker/core/spec.ts';

const isTimer = (a: CompiledAction<unknown>): boolean => a.name.includes('.timeout.');

/** The same protocol, with each timer in `timers` (every timer when omitted) firing only in states
 *  where no non-fault step other than a timer is possible. */
export function withSynchronousTimeouts<P>(spec: SpecDefinition<P>, timers?: readonly string[]): SpecDefinition<P> {
  return {
    ...spec,
    instantiate(params, options): Model {
      const model = spec.instantiate(params, options);
      const progress = model.actions.filter((a) => !isTimer(a));
      /** Some step other than a timer or a fault is possible in `g`. */
      const busy = (g: unknown): boolean => {
        let found = false;
        const probe = (label: Label): void => {
          if (label.fault === undefined) found = true;
        };
        for (const a of progress) {
          a.expand(g, probe);
          if (found) return true;
        }
        return false;
      };
      const actions = model.actions.map((a): CompiledAction<unknown> => {
        if (!isTimer(a) || (timers && !timers.some((t) => a.name.endsWith(`.timeout.${t}`)))) return a;
        const wrapped: CompiledAction<unknown> = {
          name: a.name,
          get current() {
            return a.current;
          },
          set current(l) {
            a.current = l;
          },
          expand(g, emit) {
            const fired: [Label, unknown][] = [];
            a.expand(g, (label, next) => {
              if (label.action !== 'timeout') throw new Error(`withSynchronousTimeouts: action ${a.name} gave a ${label.action} step, not a timeout`);
              fired.push([label, next]);
            });
            if (fired.length === 0 || busy(g)) return;
            for (const [label, next] of fired) {
              a.current = label;
              emit(label, next);
            }
          },
        };
        return wrapped;
      });
      return { ...model, actions };
    },
  };
}
