/**
 * A process that writes to an embedded store until a compaction reaches the step named on the
 * command line, where it kills itself with SIGKILL (a real kill -9, mid-compaction). It prints each
 * acknowledged write as a line, so the test knows exactly what was promised.
 * Usage: node --import tsx test/helpers/compaction-child.ts <dataDir> <step>
 */
import type { AlertEvent } from '../../shared/alerts';
import type { Report } from '../../shared/schemas';
import { EmbeddedStore } from '../../server/store/embedded-store';

const [dir, killAt] = process.argv.slice(2) as [string, string];
const store = new EmbeddedStore(dir, {
  compactBytes: 64 * 1024,
  onCompactionStep: (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
  onError: (err) => {
    console.error(err);
    process.exit(2);
  },
});
await store.open();
let next = 0;
const writer = async (w: number): Promise<void> => {
  for (let batch = 0; batch < 500; batch++) {
    const ids = Array.from({ length: 10 }, () => `k-${next++}`);
    const reports: Report[] = ids.map((id) => ({ id, category: 'noise', status: 'received', createdAt: '2026-11-20T08:00:00+07:00', updatedAt: '2026-11-20T08:00:00+07:00', ward: '19753' }));
    await store.upsert('report', reports);
    process.stdout.write(`R ${ids.join(',')}\n`);
    if (batch % 5 === 0) {
      const e: AlertEvent = { type: 'acknowledged', at: new Date().toISOString(), alertId: `w${w}-b${batch}`, by: 'officer', note: 'n' };
      await store.appendAlertEvents([e]);
      process.stdout.write(`A ${e.alertId}\n`);
    }
  }
};
await Promise.all([0, 1, 2, 3].map(writer));
// Never reached the step: the test fails on this exit code.
process.exit(3);
