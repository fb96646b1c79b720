// Safra's termination detection (E. W. Dijkstra, "Shmuel Safra's version of termination detection",
// EWD998, 1987; the TLA+ specification EWD998 by S. Merz and M. A. Kuppe). Nodes 0..N-1 are active or
// passive; an active node may send work messages and become passive; a node that receives a work
// message becomes active. A token travels the ring N-1 -> N-2 -> ... -> 0 to find out whether every
// node is passive and no message is in flight.
//
//   every node keeps  counter: messages sent minus messages received, and a colour (white / black)
//   receive a work message:  counter := counter - 1; active := true; colour := black
//   send a work message:     counter := counter + 1
//   node i != 0, holding the token and passive:
//       pass the token to i - 1 with q := q + counter, coloured black if the node is black;
//       the node turns white
//   node 0, holding the token and passive:
//       if the token came back white, node 0 is white and counter + q = 0: announce termination
//       else start a new probe: send a white token with q = 0 to node N-1; node 0 turns white
//
// Node i of the algorithm is the process node<i+1> (the checker numbers processes from 1): node1 is
// the initiator. A node holds the token until it is passive: the token waits in flight (its handler returns null).
//
// Safety checked: termination is announced only when it holds (every node passive, no work message
// in flight). Liveness: once the computation has terminated, termination is eventually announced,
// under weak fairness of delivery and of node 0's steps.
//
// Bug variant `pass-active`: a node passes the token while it is active. The token then vouches for
// nodes that are still working: node 0 becomes passive, sends a probe, the token passes the two active
// nodes and comes back white with q = 0, and node 0 announces termination (a false detection; with
// work messages the same happens to a node that becomes active again after the token left it).
//
// Model bounds: `nodes` nodes (3), all active at the start; each node sends at most `sends` work
// messages (1), so counters and partial sums stay within [-nodes * sends, nodes * sends]. Every computation is finite; the
// token may go round for ever while work is in flight, which weak fairness of delivery rules out.
import { type Infer, defineProtocol, inFlight, leadsTo, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'safra',
  description: "Safra's token-based termination detection (EWD998)",
  params: {
    nodes: param(t.int(2, 4), 3),
    sends: param(t.int(1, 2), 1),
    variant: param(t.enum('correct', 'pass-active'), 'correct'),
  },
  build: ({ nodes, sends, variant }) => {
    const Node = t.enum(...Array.from({ length: nodes }, (_, i) => `node${i + 1}`));
    const Count = t.int(-nodes * sends, nodes * sends);
    const Colour = t.enum('white', 'black');
    const Msg = t.variant({
      Work: {}, //                             the computation
      Token: { q: Count, colour: Colour }, //  the detection
    });
    const Local = t.record({
      active: t.bool(),
      colour: Colour,
      counter: Count,
      sent: t.int(0, sends),
      /** Node 0 only: the token it holds (it starts with one, as if a probe had failed). */
      token: t.nullable(t.record({ q: Count, colour: Colour })),
      /** Node 0 only: termination announced. */
      announced: t.bool(),
    });
    type Local = Infer<typeof Local>;
    type G = { readonly node: Readonly<Record<string, Local>>; readonly network: unknown };

    const terminated = (g: G) =>
      Object.values(g.node).every((n) => !n.active) && !inFlight(g).some((e) => (e.msg as Infer<typeof Msg>).type === 'Work');
    const announced = (g: G) => g.node.node1.announced;
    const blacken = (c: Infer<typeof Colour>, d: Infer<typeof Colour>) => (c === 'black' || d === 'black' ? 'black' : 'white');

    return protocol({
      messages: Msg,
      roles: {
        node: role(Msg, Local, {
          count: nodes,
          init: (_self, i) => ({ active: true, colour: 'white', counter: 0, sent: 0, token: i === 0 ? { q: 0, colour: 'black' } : null, announced: false }),
          actions: {
            sendWork: local({ to: Node }, (s, { to }, ctx) => {
              if (!s.active || to === ctx.self || s.sent === sends || s.announced) return null;
              ctx.send(to, { type: 'Work' });
              return { ...s, counter: s.counter + 1, sent: s.sent + 1 };
            }),
            deactivate: (s) => s.active && { ...s, active: false },
            // Node 0 with the token back: announce termination, or start a new probe.
            announce: (s, ctx) => {
              const tok = s.token;
              if (ctx.index !== 0 || tok === null || s.active || s.announced) return null;
              if (tok.colour !== 'white' || s.colour !== 'white' || s.counter + tok.q !== 0) return null;
              return { ...s, announced: true };
            },
            initiateProbe: (s, ctx) => {
              const tok = s.token;
              if (ctx.index !== 0 || tok === null || s.active || s.announced) return null;
              if (tok.colour === 'white' && s.colour === 'white' && s.counter + tok.q === 0) return null;
              ctx.send(`node${nodes}`, { type: 'Token', q: 0, colour: 'white' }); // to node N-1
              return { ...s, colour: 'white', token: null };
            },
          },
          on: {
            Work: (s) => ({ ...s, counter: s.counter - 1, active: true, colour: 'black' }),
            Token: (s, m, ctx) => {
              if (ctx.index === 0) return { ...s, token: { q: m.q, colour: m.colour } };
              if (s.active && variant !== 'pass-active') return null; // held until passive
              ctx.send(`node${ctx.index}`, { type: 'Token', q: m.q + s.counter, colour: blacken(m.colour, s.colour) }); // to node i-1
              return { ...s, colour: 'white' };
            },
          },
        }),
      },
      invariants: {
        announcedOnlyWhenTerminated: {
          holds: (g) => !announced(g) || terminated(g),
          says: 'termination is announced only when every node is passive and no work message is in flight',
        },
      },
      properties: {
        detected: leadsTo(terminated, announced, 'once the computation has terminated, node 0 announces it'),
      },
      fairness: { deliver: 'weak', 'node.announce': 'weak', 'node.initiateProbe': 'weak' },
      terminal: { holds: announced, says: 'termination announced' },
    });
  },
});
