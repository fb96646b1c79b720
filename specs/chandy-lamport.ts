// The Chandy-Lamport snapshot (K. M. Chandy and L. Lamport, "Distributed Snapshots: Determining
// Global States of Distributed Systems", ACM TOCS 3(1), 1985), over a money-transfer application.
// Processes hold money and send each other Transfer messages; the total never changes. One process
// (bank1) starts a snapshot; each process records its balance and, per incoming channel, the money
// that was on its way when the snapshot cut that channel:
//
//   initiator, when it starts:  record its balance; send Marker on every outgoing channel;
//                               record every incoming channel (start from empty)
//   on Marker from c:           if not recorded yet: record its balance, channel c is recorded
//                                 as empty, send Marker on every outgoing channel, record the
//                                 other incoming channels
//                               else: stop recording channel c (its recorded state is complete)
//   on Transfer(amount) from c: add it to the balance; if channel c is being recorded, add it
//                               to channel c's recorded state
//
// A process is done when it has recorded its balance and received a Marker on every incoming
// channel; the snapshot is complete when every process is done.
//
// Safety checked: the recorded state is consistent: when the snapshot is complete, the recorded
// balances plus the recorded channel contents equal the total (no money counted twice or lost).
// Liveness: the snapshot eventually completes, under weak fairness of message delivery and of the
// initiator's start. Consistency needs FIFO channels: on an unordered network a Marker may overtake a
// transfer sent before it (the unit is then in neither recorded balance nor any recorded channel:
// money is lost), or a transfer sent after a Marker may overtake it (the unit is counted twice).
//
// Model bounds: `banks` processes (3), a total of `total` units of money (2) at the start split as
// evenly as possible, each process makes at most `transfers` transfers of one unit (1 in the
// models: enough for a unit on its way across the cut in either direction). There is no counter to
// cut: every run is finite, so the proofs cover every run of these bounds. The initiator starts one
// snapshot (more snapshots repeat the same reasoning with a snapshot number).
import { type Infer, defineProtocol, eventually, inFlight, local, param, protocol, role, t } from '../checker/index.ts';

export default defineProtocol({
  name: 'chandy-lamport',
  description: 'the Chandy-Lamport snapshot of a money-transfer application',
  params: {
    banks: param(t.int(2, 4), 3),
    total: param(t.int(1, 4), 2),
    transfers: param(t.int(0, 3), 2),
  },
  build: ({ banks, total, transfers }) => {
    const Bank = t.enum(...Array.from({ length: banks }, (_, i) => `bank${i + 1}`));
    type Bank = (typeof Bank.values)[number];
    const Money = t.int(0, total);
    const Msg = t.variant({
      Transfer: { amount: t.int(1, 1) }, // the application: one unit of money
      Marker: {}, //                        the snapshot algorithm
    });
    const Local = t.record({
      balance: Money,
      /** Transfers made so far (bounded by `transfers`). */
      made: t.int(0, transfers),
      /** The recorded balance, null before this process records its state. */
      recorded: t.nullable(Money),
      /** The incoming channels still being recorded (no Marker received on them yet). */
      recording: t.set(Bank),
      /** The recorded state of each incoming channel: the money that arrived on it while recorded. */
      channel: t.map(Bank, Money),
    });
    type Local = Infer<typeof Local>;
    const ChannelMap = t.map(Bank, Money);
    const noMoney = Object.fromEntries(Bank.values.map((b) => [b, 0])) as Local['channel'];

    /** Record the local state and start recording every incoming channel but `except`. */
    const recordState = (s: Local, self: string, except: string, ctx: { multicast(to: readonly string[], m: { type: 'Marker' }): void; others(): readonly string[] }): Local => {
      ctx.multicast(ctx.others(), { type: 'Marker' });
      return { ...s, recorded: s.balance, recording: Bank.values.filter((b) => b !== self && b !== except) };
    };
    const done = (l: Local) => l.recorded !== null && l.recording.length === 0;
    const complete = (g: { readonly bank: Readonly<Record<string, Local>> }) => Object.values(g.bank).every(done);
    const initial = (index: number) => Math.floor(total / banks) + (index < total % banks ? 1 : 0);

    return protocol({
      messages: Msg,
      roles: {
        bank: role(Msg, Local, {
          count: banks,
          init: (_self, index) => ({ balance: initial(index), made: 0, recorded: null, recording: [], channel: noMoney }),
          actions: {
            // The application: send one unit to another bank.
            transfer: local({ to: Bank }, (s, { to }, ctx) => {
              if (to === ctx.self || s.balance === 0 || s.made === transfers) return null;
              ctx.send(to, { type: 'Transfer', amount: 1 });
              return { ...s, balance: s.balance - 1, made: s.made + 1 };
            }),
            // The initiator starts the snapshot.
            snapshot: (s, ctx) => ctx.index === 0 && s.recorded === null && recordState(s, ctx.self, '', ctx),
          },
          on: {
            Marker: (s, _m, ctx) => {
              if (s.recorded === null) return recordState(s, ctx.self, ctx.from, ctx);
              return { ...s, recording: s.recording.filter((b) => b !== ctx.from) };
            },
            Transfer: (s, m, ctx) => {
              const from = ctx.from as Bank;
              const channel = s.recording.includes(from) ? ChannelMap.with(s.channel, from, s.channel[from] + m.amount) : s.channel;
              return { ...s, balance: s.balance + m.amount, channel };
            },
          },
        }),
      },
      invariants: {
        consistent: {
          holds: (g) => {
            if (!complete(g)) return true;
            let sum = 0;
            for (const l of Object.values(g.bank)) {
              sum += l.recorded ?? 0;
              for (const b of Bank.values) sum += l.channel[b];
            }
            return sum === total;
          },
          says: 'a complete snapshot records the total: recorded balances plus recorded channel contents',
        },
        moneyConserved: {
          holds: (g) => {
            let sum = 0;
            for (const l of Object.values(g.bank)) sum += l.balance;
            for (const e of inFlight(g)) if ((e.msg as Infer<typeof Msg>).type === 'Transfer') sum += 1;
            return sum === total;
          },
          says: 'the balances plus the money in flight equal the total (the application itself is right)',
        },
      },
      properties: {
        completes: eventually(complete, 'the snapshot completes: every bank has recorded its state and all its incoming channels'),
      },
      fairness: { deliver: 'weak', 'bank.snapshot': 'weak' },
      terminal: { holds: complete, says: 'the snapshot is complete (the transfers are bounded, so the application stops)' },
    });

  },
});
