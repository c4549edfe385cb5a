// Entry of CapReader's worker thread. The server runs TypeScript through tsx, and a worker thread
// does not inherit the parent's loader in every way the server is started (tsx's CLI, vitest), so
// the worker registers tsx itself and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./cap-read-worker.ts');
