#!/usr/bin/env node
// Entry for `npx check`: registers tsx so specs and the checker run as TypeScript, no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../checker/cli/check.ts');
process.exitCode = await main(process.argv.slice(2));
