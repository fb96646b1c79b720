#!/usr/bin/env node
// Entry for `npx check`: registers tsx so specs and the checker run as TypeScript, no build step.
// The process guards come first: a closed pipe or too little memory to start is a message, not a stack.
import { installProcessGuards } from './process-guards.js';
installProcessGuards('check');
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../checker/cli/check.ts');
process.exitCode = await main(process.argv.slice(2));
