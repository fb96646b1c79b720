// The one public entry of the checker for spec authors.
export { t, valuesOf, MapType } from './core/types.ts';
export type { Type, Infer } from './core/types.ts';
export { defineSpec, system, action, param } from './core/spec.ts';
export type { SpecDefinition, System, SystemDef, Successors, Label, Model, FaultModel } from './core/spec.ts';
export { eventually, infinitelyOften, eventuallyAlways, leadsTo, sometimes, forEach } from './core/temporal.ts';
export type { Temporal, TemporalFamily, TemporalOp, FairnessDefs, FairnessValue, FairnessKind, FairnessPer } from './core/temporal.ts';
export { defineProtocol, protocol, role, local, crashed } from './protocol/define.ts';
export { oneOf } from './protocol/context.ts';
export type { Ctx, Global, Handled } from './protocol/define.ts';
export { inFlight } from './protocol/network.ts';
export type { Envelope } from './protocol/network.ts';
