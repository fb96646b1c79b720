// Type-level test, checked by `tsc --noEmit` in CI: a step property that tests `step.action`
// against a name that is not an action does not compile.
import { action, defineSpec, system, t } from '../../checker/index.ts';

export default defineSpec({
  name: 'typed-steps',
  build: () =>
    system(t.record({ n: t.int(0, 3) }), {
      init: { n: 0 },
      actions: {
        inc: (s) => s.n < 3 && { n: s.n + 1 },
        reset: action({ to: t.int(0, 1) }, (_s, { to }) => ({ n: to })),
      },
      steps: {
        known: (a, b, step) => b.n >= a.n || step.action === 'reset',
        // @ts-expect-error 'rset' is not an action of this spec
        typo: (a, b, step) => b.n >= a.n || step.action === 'rset',
      },
    }),
});
