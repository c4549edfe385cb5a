import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { post, signInToken } from '../helpers/server';
import { aReport } from '../helpers/wall-client';

/** The production entry point started with IOC_PROVINCE (issue 23): another province's wall, or a refusal. */
const dirs: string[] = [];
const children: ChildServer[] = [];
const dataDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'ioc-province-'));
  dirs.push(d);
  return d;
};

afterAll(async () => {
  for (const c of children) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('IOC_PROVINCE', () => {
  it.each([
    ['01', 'Hà Nội', 126],
    ['79', 'Hồ Chí Minh', 168],
  ])('%s: the server serves %s, its %i units in the snapshot and the ward registry', async (code, name, units) => {
    const server = await startChildServer(dataDir(), { IOC_PROVINCE: code, IOC_PUBLIC_WALL: '1' });
    children.push(server);
    const wards = (await (await fetch(`${server.url}/api/v1/wards`)).json()) as { features: { properties: { code: string } }[]; province: { code: string; name: string; unitCount: number } };
    expect(wards.province).toMatchObject({ code, name, unitCount: units });
    expect(wards.features).toHaveLength(units);
    const snapshot = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as { wards: Record<string, unknown> | unknown[] };
    const snapshotCodes = Array.isArray(snapshot.wards) ? snapshot.wards.map((w) => (w as { code: string }).code) : Object.keys(snapshot.wards);
    expect(snapshotCodes.sort()).toEqual(wards.features.map((f) => f.properties.code).sort());
    // An item in one of the province's units is taken and counted there; one in Huế's (not served) is refused.
    const first = wards.features[0]!.properties.code;
    expect((await post(server.url, '/api/v1/reports', [aReport(`p-${code}`, { ward: first })])).status).toBe(202);
    const refused = await post(server.url, '/api/v1/reports', [aReport(`hue-${code}`, { ward: '19753' })]);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(`unknown ward \\"19753\\": use one of ${name}'s ${units} official 5-digit codes`);
  });

  it('all: the whole country, its 3,321 units with their provinces, the 34 provinces named', async () => {
    const server = await startChildServer(dataDir(), { IOC_PROVINCE: 'all', IOC_PUBLIC_WALL: '1', IOC_USERS: 'hcm:province:79:pw-province-79' }, 120_000);
    children.push(server);
    const wards = (await (await fetch(`${server.url}/api/v1/wards`)).json()) as {
      features: { properties: { code: string; province: string } }[];
      province: { code: string; name: string; unitCount: number };
      provinces: { code: string; name: string }[];
    };
    expect(wards.province).toMatchObject({ code: 'all', name: 'Việt Nam', unitCount: 3321 });
    expect(wards.provinces.map((p) => p.code)).toHaveLength(34);
    expect(wards.features).toHaveLength(3321);
    expect(new Set(wards.features.map((f) => f.properties.province)).size).toBe(34);
    // The national wall's provinces, dissolved from those units: one outline each, under the same codes.
    const outlinesRes = await fetch(`${server.url}/api/v1/provinces/outlines`);
    expect(outlinesRes.headers.get('content-type')).toContain('application/geo+json');
    const outlines = (await outlinesRes.json()) as { features: { properties: { code: string }; geometry: { type: string; coordinates: unknown[] } }[] };
    expect(outlines.features.map((f) => f.properties.code)).toEqual(wards.provinces.map((p) => p.code));
    expect(outlines.features.every((f) => f.geometry.type === 'MultiPolygon' && f.geometry.coordinates.length > 0)).toBe(true);
    const snapshot = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as { wards: Record<string, unknown> | unknown[] };
    expect(Array.isArray(snapshot.wards) ? snapshot.wards.length : Object.keys(snapshot.wards).length).toBe(3321);
    // Items in Huế and in Hà Nội are both taken.
    expect((await post(server.url, '/api/v1/reports', [aReport('all-hue', { ward: '19753' }), aReport('all-hn', { ward: '00004' })])).status).toBe(202);
    // A province:79 user's wall holds Hồ Chí Minh City's 168 units only.
    const token = await signInToken(server.url, 'hcm', 'pw-province-79');
    const own = (await (await fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()) as { wards: Record<string, unknown> };
    const hcm = wards.features.filter((f) => f.properties.province === '79').map((f) => f.properties.code);
    expect(hcm).toHaveLength(168);
    expect(Object.keys(own.wards).sort()).toEqual(hcm.sort());
  }, 180_000);

  it('an unknown code stops the start with the valid codes listed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', IOC_DATA_DIR: dataDir(), IOC_PROVINCE: '99', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('IOC Wall cannot start: IOC_PROVINCE "99" is not one of the 34 province codes (or "all"): 01 Hà Nội, 04 Cao Bằng');
    expect(out).toContain('46 Huế');
    expect(out).not.toContain('IOC Wall →');
  });
});
