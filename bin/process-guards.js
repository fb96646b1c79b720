// Plain JavaScript (it runs before the TypeScript loader is registered): what the whole process
// does on a closed pipe, a full disk, or too little address space to start.

/** Exit codes, as in checker/run/exit-codes.ts. */
const EXIT_CONFIG = 151;
const EXIT_MEMORY = 152;
/** 128 + SIGPIPE: what a writer killed by a closed pipe exits with. */
const EXIT_PIPE = 141;

function isWasmOutOfMemory(e) {
  return e instanceof Error && /WebAssembly|Wasm/.test(e.message) && /out of memory/i.test(e.message);
}

function outOfMemory(name) {
  process.stderr.write(
    `${name}: error: not enough address space to start: WebAssembly could not reserve memory (the TypeScript loader needs it).\n` +
      '  hint: the address-space limit (ulimit -v) is probably too low for Node.js; raise it (ulimit -v unlimited) and run again\n',
  );
  process.exit(EXIT_MEMORY);
}

/** Installs the guards for `check` or `replay`. */
export function installProcessGuards(name) {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      // The reader went away (`check specs/ | head -1`): nothing more to say, to anyone.
      if (e.code === 'EPIPE') process.exit(EXIT_PIPE);
      if (stream !== process.stderr) {
        process.stderr.write(`${name}: error MC302: cannot write the report to standard output (${e.code ?? e.message})\n`);
      }
      process.exit(EXIT_CONFIG);
    });
  }
  const fatal = (e) => {
    if (isWasmOutOfMemory(e)) outOfMemory(name);
    process.stderr.write(`${name}: internal error (a bug in the checker, please report it):\n${e?.stack ?? String(e)}\n`);
    process.exit(255);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
