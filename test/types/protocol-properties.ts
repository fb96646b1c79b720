// Type-level test (checked by tsc, not run): protocol({ properties: (op) => ... }) types the global
// state in temporal predicates, so a misspelt field does not compile.
import { protocol, role, t } from '../../checker/index.ts';

const Msg = t.variant({ M: {} });
export const typed = protocol({
  messages: Msg,
  roles: { p: role(Msg, t.record({ n: t.int(0, 1) }), { count: 1, init: { n: 0 } }) },
  properties: (op) => ({
    reaches: op.eventually((g) => g.p.p1.n === 1),
    each: op.forEach({ k: t.int(0, 1) }, ({ k }) => op.leadsTo((g) => g.p.p1.n === k, (g) => g.p.p1.n >= k)),
    // @ts-expect-error nope is not a field of the local state
    misspelt: op.eventually((g) => g.p.p1.nope === 1),
  }),
});
