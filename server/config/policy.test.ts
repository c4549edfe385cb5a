import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, loadPolicy } from './policy';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of config/ with situations.json replaced by `raw` (what an operator might write). */
function configWith(raw: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'ioc-policy-'));
  cpSync(fileURLToPath(DEFAULT_CONFIG_DIR), dir, { recursive: true });
  writeFileSync(path.join(dir, 'situations.json'), raw);
  return dir;
}

it('the shipped config/ loads, situation rules included', () => {
  expect(loadPolicy().situations.rules.map((r) => r.id)).toEqual(['flooding']);
});

it('a bad situation rule stops the start with the file and the field named', () => {
  const bad = { rules: [{ ...loadPolicy().situations.rules[0], minUnits: 1, categories: ['flood'] }] };
  const at = configWith(JSON.stringify(bad));
  expect(() => loadPolicy(at)).toThrow(/invalid .*situations\.json:\n {2}rules\.0\.categories\.0: must be one of traffic.*\n {2}rules\.0\.minUnits: a situation needs at least 2 units/s);
});

it('a situations.json that is not JSON, or is missing, is named too', () => {
  expect(() => loadPolicy(configWith('{ "rules": [ '))).toThrow(/cannot read .*situations\.json/);
  rmSync(path.join(dir!, 'situations.json'));
  expect(() => loadPolicy(dir!)).toThrow(/cannot read .*situations\.json/);
});
