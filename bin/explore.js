#!/usr/bin/env node
// Entry for `npx explore`: registers tsx so specs and the checker run as TypeScript, no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../checker/cli/explore.ts');
process.exitCode = await main(process.argv.slice(2));
