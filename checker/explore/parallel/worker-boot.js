// Plain JavaScript entry of a search worker thread: registers the TypeScript loader (workers do
// not inherit the main thread's), then runs worker.ts.
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');
