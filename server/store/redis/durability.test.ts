import { expect, it } from 'vitest';
import { durabilityProblem } from './redis-store';

it.each([
  ['deploy/redis/ioc-wall.conf', { appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' }, null],
  ['fsync on every write', { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' }, null],
  ['a Redis that does not say its policy', { appendonly: 'yes', appendfsync: 'everysec' }, null],
  ['no AOF', { appendonly: 'no', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' }, /appendonly no/],
  ['AOF flushed by the OS', { appendonly: 'yes', appendfsync: 'no', 'maxmemory-policy': 'noeviction' }, /appendfsync no/],
  ['evicting any key', { appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'allkeys-lru' }, /maxmemory-policy allkeys-lru.*noeviction/],
  ['evicting keys with a TTL (sessions)', { appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'volatile-ttl' }, /maxmemory-policy volatile-ttl/],
] as const)('%s', (_what, settings, expected) => {
  const problem = durabilityProblem(settings);
  if (expected === null) expect(problem).toBeNull();
  else expect(problem).toMatch(expected);
});
