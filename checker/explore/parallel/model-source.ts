// What a search worker needs to build the same model as the main thread: the spec module and export
// the model file resolved to, the params (declared defaults filled in), the network and the faults.
// Each worker imports the module itself and instantiates it (spec code cannot cross threads).
import { pathToFileURL } from 'node:url';
import { isSpecDefinition, type FaultModel, type Model } from '../../core/spec.ts';
import { guarded } from '../guard.ts';
import type { ResolvedModel } from '../../config/resolve.ts';

export interface ModelSource {
  readonly module: string;
  readonly export: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly network?: 'unordered' | 'fifo';
  readonly faults?: FaultModel;
}

/** The source of a model resolved from a model file. */
export function sourceOf(r: ResolvedModel): ModelSource {
  const c = r.config;
  return {
    module: c.spec.module,
    export: c.spec.export,
    params: r.params,
    ...(c.network !== undefined ? { network: c.network } : {}),
    ...(c.faults !== undefined ? { faults: c.faults } : {}),
  };
}

/** Imports and instantiates the model (the model file was validated by the main thread already). */
export async function loadModel(src: ModelSource): Promise<Model> {
  const mod = (await import(pathToFileURL(src.module).href)) as Record<string, unknown>;
  const definition = mod[src.export];
  if (!isSpecDefinition(definition)) throw new Error(`export '${src.export}' of ${src.module} is not a spec`);
  return guarded(() => definition.instantiate(src.params, { network: src.network, faults: src.faults }));
}
