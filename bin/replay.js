#!/usr/bin/env node
// Entry for `npx replay`: registers tsx so specs and the replayer run as TypeScript, no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../checker/cli/replay.ts');
process.exitCode = await main(process.argv.slice(2));
