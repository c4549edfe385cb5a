// Entry of CapReader's worker thread when the server runs from its TypeScript sources (tests,
// benches, `npm run dev:server`): a worker thread does not inherit the parent's loader in every way
// the server is started (tsx's CLI, vitest), so the worker registers tsx itself and then loads the
// TypeScript worker. The built server (`npm start`) has no loader: there, dist/server/cap-read-worker.mjs
// is the worker itself, compiled (vite.server.config.ts).
import { register } from 'tsx/esm/api';

register();
await import('./cap-read-worker.ts');
