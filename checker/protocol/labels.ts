// How protocol steps read in traces and reports.
import { showParam, type Label } from '../core/spec.ts';
import type { Type } from '../core/types.ts';

/** Names a role's local action may not take: they are the steps the checker adds. */
export const RESERVED_ACTIONS = ['deliver', 'timeout', 'crash', 'restart', 'drop', 'duplicate', 'partition', 'heal'];

/** `proposer1: start(b=1)` for local actions, `proposer1 -> acceptor2: Prepare(bal=1)` for deliveries,
 *  `timeout proposer1.retry` for timers, and for faults `crash acceptor2`, `restart acceptor2`,
 *  `drop p1 -> a2: Accept(...)`, `duplicate ...`, `partition {p1, a1} | {a2, a3}`, `heal`. */
export function showProtocolLabel(messages: Type<any>): (label: Label) => string {
  const envelope = (label: Label) => `${String(label.params.from)} -> ${String(label.params.to)}: ${messages.show(label.message)}`;
  return (label) => {
    switch (label.fault) {
      case 'crash':
      case 'restart':
        return `${label.fault} ${label.process}`;
      case 'drop':
      case 'duplicate':
        return `${label.fault} ${envelope(label)}`;
      case 'partition': {
        const groups = label.params.groups as readonly (readonly string[])[];
        return `partition ${groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`;
      }
      case 'heal':
        return 'heal';
    }
    if (label.action === 'deliver' && label.message !== undefined) return envelope(label);
    if (label.action === 'timeout' && label.process) return `timeout ${label.process}.${String(label.params.timer)}`;
    const ps = Object.entries(label.params).map(([k, v]) => `${k}=${showParam(v)}`);
    const call = ps.length ? `${label.action}(${ps.join(', ')})` : label.action;
    return label.process ? `${label.process}: ${call}` : call;
  };
}
