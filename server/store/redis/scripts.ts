/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis, so two nodes racing on the same
 * item or alert are serialised by Redis itself; `ScriptRunner` sends them by SHA and falls back to the
 * source when Redis has forgotten them (a restart without its script cache, a failover).
 */
// Decides each offered version against the held one exactly as decideUpsert does (newer updatedAt
// wins; equal time with equal content is a duplicate), writes the accepted ones to the hashes, and
// appends them as one log entry under the next global seq. One script, so two nodes racing on the
// same id are serialised by Redis and never both accept the same version.
// KEYS: ver hash, item hash, seq, log. ARGV: kind, node, at, maxlen, then (id, ms, sha, json)*.
export const UPSERT_LUA = `
local out = {}
local acc = {}
local n = (#ARGV - 4) / 4
for i = 0, n - 1 do
  local b = 5 + i * 4
  local id = ARGV[b]
  local ms = tonumber(ARGV[b + 1])
  local sha = ARGV[b + 2]
  local held = redis.call('HGET', KEYS[1], id)
  local outcome = 'accepted'
  if held then
    local sep = string.find(held, '|', 1, true)
    local hms = tonumber(string.sub(held, 1, sep - 1))
    if ms < hms then outcome = 'stale'
    elseif ms == hms and string.sub(held, sep + 1) == sha then outcome = 'duplicate' end
  end
  local prev = false
  if held then prev = redis.call('HGET', KEYS[2], id) end
  if outcome == 'accepted' then
    redis.call('HSET', KEYS[1], id, ARGV[b + 1] .. '|' .. sha)
    redis.call('HSET', KEYS[2], id, ARGV[b + 3])
    acc[#acc + 1] = ARGV[b + 3]
  end
  out[#out + 1] = outcome
  out[#out + 1] = prev
end
local seq = 0
if #acc > 0 then
  seq = redis.call('INCR', KEYS[3])
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], seq .. '-0', 't', 'items', 'n', ARGV[2], 'at', ARGV[3], 'k', ARGV[1], 'v', '[' .. table.concat(acc, ',') .. ']')
end
table.insert(out, 1, seq)
return out
`;

// A delta that is not an item change (a tick, an alert change) takes the next seq the same way.
// KEYS: seq, log. ARGV: type, node, at, maxlen, body.
export const PUBLISH_LUA = `
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], seq .. '-0', 't', ARGV[1], 'n', ARGV[2], 'at', ARGV[3], 'v', ARGV[5])
return seq
`;

// Checks each alert event's precondition against the alert's state in a hash (field = alert id,
// value "state|level|renotifications|key") and the unresolved alert of each key (key → id), exactly
// as alertEventConflict does; appends the events that hold to the audit stream (never trimmed) and,
// together, to the shared log under the next seq, so every node folds them in seq order. Refused
// events come back as "!unknown", "!state:<state>" or "!key:<holder id>"; the reply starts with the
// seq of the entry, or the current seq when nothing applied (the caller catches up to it).
// KEYS: guard hash, key hash, audit stream, seq, log. ARGV: node, at, maxlen, then (type, alert id, key, level, renotifications or '', json)*.
export const ALERT_LUA = `
local out = {}
local acc = {}
local n = (#ARGV - 3) / 6
for i = 0, n - 1 do
  local b = 4 + i * 6
  local t, id, key, lvl, exp, json = ARGV[b], ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), ARGV[b + 4], ARGV[b + 5]
  local held = redis.call('HGET', KEYS[1], id)
  local st, hl, hr, hk = '', 0, 0, ''
  if held then
    local p1 = string.find(held, '|', 1, true)
    local p2 = string.find(held, '|', p1 + 1, true)
    local p3 = string.find(held, '|', p2 + 1, true)
    st = string.sub(held, 1, p1 - 1)
    hl = tonumber(string.sub(held, p1 + 1, p2 - 1))
    hr = tonumber(string.sub(held, p2 + 1, p3 - 1))
    hk = string.sub(held, p3 + 1)
  end
  local bad = false
  if t == 'raised' then
    local holder = redis.call('HGET', KEYS[2], key)
    if holder then bad = '!key:' .. holder elseif held then bad = '!state:' .. st end
  elseif not held then bad = '!unknown'
  elseif t == 'acknowledged' then if st ~= 'open' then bad = '!state:' .. st end
  elseif t == 'resolved' then if st ~= 'acknowledged' then bad = '!state:' .. st end
  elseif t == 'escalated' then if st ~= 'open' or lvl <= hl then bad = '!state:' .. st end
  elseif t == 'renotified' then if st ~= 'acknowledged' or (exp ~= '' and tonumber(exp) ~= hr) then bad = '!state:' .. st end
  elseif t == 'updated' then if st == 'resolved' then bad = '!state:' .. st end
  else bad = '!unknown' end
  if bad then
    out[#out + 1] = bad
  else
    if t == 'raised' then
      st = 'open'; hl = 0; hr = 0; hk = key
      redis.call('HSET', KEYS[2], key, id)
    elseif t == 'acknowledged' then st = 'acknowledged'
    elseif t == 'resolved' then
      st = 'resolved'
      if redis.call('HGET', KEYS[2], hk) == id then redis.call('HDEL', KEYS[2], hk) end
    elseif t == 'escalated' then hl = lvl
    elseif t == 'renotified' then hr = hr + 1 end
    redis.call('HSET', KEYS[1], id, st .. '|' .. hl .. '|' .. hr .. '|' .. hk)
    local aid = redis.call('XADD', KEYS[3], '*', 'e', json)
    acc[#acc + 1] = '{"i":"' .. aid .. '","e":' .. json .. '}'
    out[#out + 1] = aid
  end
end
local seq
if #acc > 0 then
  seq = redis.call('INCR', KEYS[4])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[3], seq .. '-0', 't', 'alerts', 'n', ARGV[1], 'at', ARGV[2], 'v', '[' .. table.concat(acc, ',') .. ']')
else
  seq = tonumber(redis.call('GET', KEYS[4]) or '0')
end
table.insert(out, 1, seq)
return out
`;

// Writes the guards folded from an audit stream written before they existed (an upgrade), only if
// nobody did meanwhile and the stream still ends where the caller read it.
// KEYS: guard hash, key hash, audit stream. ARGV: last audit id, number of guards, (id, value)*, (key, id)*.
export const GUARDS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #last == 0 or last[1][1] ~= ARGV[1] then return 0 end
local g = tonumber(ARGV[2])
for i = 0, g - 1 do redis.call('HSET', KEYS[1], ARGV[3 + i * 2], ARGV[4 + i * 2]) end
for i = 3 + g * 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
`;

// The alert leader's lease: renewed by its holder (which also records the last log seq whose alert
// sources it handled), taken by anyone once it has lapsed. Returns {1, ''} renewed, {2, mark} taken,
// {0, holder} held by another node.
// KEYS: lease, mark. ARGV: node, ms, mark or ''.
export const LEASE_LUA = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
  return {1, ''}
end
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {2, redis.call('GET', KEYS[2]) or '0'}
end
return {0, v}
`;

// KEYS: lease, mark. ARGV: node, mark or ''.
export const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
return redis.call('DEL', KEYS[1])
`;

type Client = { scriptLoad(script: string): Promise<string>; sendCommand(args: string[]): Promise<unknown> };

/** The scripts a store uses, loaded once; `run` sends one by SHA (EVAL again after NOSCRIPT). */
export class ScriptRunner {
  private readonly shas = new Map<string, string>();

  constructor(private readonly client: Client) {}

  async load(scripts: readonly string[]): Promise<void> {
    for (const script of scripts) this.shas.set(script, await this.client.scriptLoad(script));
  }

  async run(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown[]> {
    const cmd = (name: string, first: string): Promise<unknown> => this.client.sendCommand([name, first, String(keys.length), ...keys, ...args]);
    const sha = this.shas.get(script);
    if (sha === undefined) return (await cmd('EVAL', script)) as unknown[];
    try {
      return (await cmd('EVALSHA', sha)) as unknown[];
    } catch (err) {
      // A Redis restarted without its script cache (or a failover) forgets loaded scripts.
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return (await cmd('EVAL', script)) as unknown[];
    }
  }
}
