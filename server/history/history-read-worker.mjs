// Entry of HistoryReader's worker thread: registers tsx (as cap-read-worker.mjs does, for the same
// reason) and loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./history-read-worker.ts');
