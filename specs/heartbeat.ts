// A heartbeat failure detector (Chandra and Toueg, "Unreliable Failure Detectors for Reliable
// Distributed Systems", 1996, give the properties; the heartbeat implementation is the textbook one).
// Each process sends a heartbeat to the monitor on its `beat` timer. The monitor keeps a timeout per
// process, started by its first heartbeat: when the timeout fires and a heartbeat came since the last
// one, it starts a new period; when none came, it suspects the process. A heartbeat from a suspected
// process clears the suspicion (an eventually perfect detector).
//
// Property checked: strong accuracy, "a correct process is never suspected". It is refuted in the
// asynchronous model (the checker's timers fire at any later step): the monitor's timeout fires
// before a slow process sends, or before its heartbeat arrives, and a correct process is suspected,
// with no fault at all. Accuracy needs bounds on delays and on relative speeds, which an
// asynchronous system does not give. Strong completeness ("every crashed process is eventually
// suspected") is a liveness property, checked once the checker has liveness.
//
// Model bounds: `processes` processes (3) and one monitor; each process sends at most `beats`
// heartbeats (2), so the monitor's periods are bounded too. Faults come from the model files.
import { crashed, defineProtocol, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'heartbeat',
  description: 'a heartbeat failure detector: processes beat on timers, a monitor suspects on timeouts',
  params: {
    processes: param(t.int(1, 4), 3),
    beats: param(t.int(1, 4), 2),
  },
  build: ({ processes, beats }) => {
    const Proc = t.enum(...Array.from({ length: processes }, (_, i) => `process${i + 1}`));
    type Proc = (typeof Proc.values)[number];
    const Msg = t.variant({ Heartbeat: {} });
    const Monitor = t.record({
      /** The processes heard from since their timeout last fired. */
      heard: t.set(Proc),
      /** The processes it suspects to have crashed. */
      suspected: t.set(Proc),
    });
    /** The monitor's timeout for process `p`. */
    const expire = (p: Proc) => (s: { readonly heard: readonly Proc[]; readonly suspected: readonly Proc[] }, ctx: { setTimer(name: string): void }) => {
      if (s.heard.includes(p)) {
        ctx.setTimer(p); // heard from it in this period: start the next one
        return { ...s, heard: s.heard.filter((x) => x !== p) };
      }
      return s.suspected.includes(p) ? s : { ...s, suspected: [...s.suspected, p] };
    };

    return protocol({
      messages: Msg,
      roles: {
        process: role(Msg, t.record({ sent: t.int(0, beats) }), {
          count: processes,
          init: { sent: 0 },
          initTimers: ['beat'],
          timers: {
            beat: (s, ctx) => {
              ctx.send('monitor1', { type: 'Heartbeat' });
              if (s.sent + 1 < beats) ctx.setTimer('beat');
              return { sent: s.sent + 1 };
            },
          },
        }),
        monitor: role(Msg, Monitor, {
          count: 1,
          init: { heard: [], suspected: [] },
          on: {
            Heartbeat: (s, _m, ctx) => {
              const p = ctx.from as Proc;
              ctx.setTimer(p);
              return { heard: s.heard.includes(p) ? s.heard : [...s.heard, p], suspected: s.suspected.filter((x) => x !== p) };
            },
          },
          timers: Object.fromEntries(Proc.values.map((p) => [p, expire(p)])),
        }),
      },
      invariants: {
        accuracy: {
          holds: (g) => g.monitor.monitor1.suspected.every((p) => crashed(g).includes(p)),
          says: 'a correct (not crashed) process is never suspected',
        },
      },
    });
  },
});
