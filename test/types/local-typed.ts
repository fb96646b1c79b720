// Type-level test (checked by tsc, not run): inside local(...) actions with parameters, the local
// state is typed, so a misspelt field does not compile.
import { defineProtocol, local, protocol, role, t } from '../../checker/index.ts';

export default defineProtocol({
  name: 'typed-local',
  build: () => {
    const Msg = t.variant({ M: {} });
    return protocol({
      messages: Msg,
      roles: {
        p: role(Msg, t.record({ n: t.int(0, 1) }), {
          count: 1,
          init: { n: 0 },
          actions: {
            // @ts-expect-error s.nope is not a field of the local state
            a: local({ k: t.int(0, 1) }, (s, { k }) => ({ n: k + s.nope })),
          },
        }),
      },
    });
  },
});
