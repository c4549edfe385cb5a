import { afterEach, describe, expect, it } from 'vitest';
import { WARD_CODES } from '@shared/wards';
import { PROTOCOL_VERSION, type ResumeResult } from '@shared/protocol';
import { MAX_RESUME_DELTAS } from '../../server/live/limits';
import { post, startTestServer, type TestServer } from '../helpers/server';
import { aReport, WallClient } from '../helpers/wall-client';

let server: TestServer | undefined;
const walls: WallClient[] = [];

afterEach(async () => {
  for (const w of walls.splice(0)) w.close();
  await server?.close();
  server = undefined;
});

function wall(url: string): WallClient {
  const w = new WallClient(url);
  walls.push(w);
  return w;
}

describe('the live path: ingest → store → broadcast → wall', () => {
  it('greets a wall with a snapshot of the 40 wards', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const s = w.snapshots[0]!;
    expect(s.protocol).toBe(PROTOCOL_VERSION);
    expect(Object.keys(s.wards).sort()).toEqual([...WARD_CODES]);
    expect(s.city.today.reports.received).toBe(0);
    expect(s.demo).toBe(false);
    // Trends compare with yesterday and last week cut at the same time of day.
    expect(Date.parse(s.city.yesterday.to)).toBe(Date.parse(s.city.today.to) - 86_400_000);
    expect(Date.parse(s.city.lastWeek.from)).toBe(Date.parse(s.city.today.from) - 7 * 86_400_000);
    expect(s.ranking.rows).toHaveLength(40);
    // Nothing measured yet: no ward is ranked, none has a range, none moved.
    expect(s.ranking.rows.every((r) => r.rank === null && r.rankRange === null && r.movement === 'steady')).toBe(true);
    expect(s.charts.hours).toHaveLength(168);
  });

  it('a report created yesterday moves the wall’s yesterday figure at the next tick', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const yesterday = new Date(Date.now() - 86_400_000 - 60_000).toISOString();
    await post(server.url, '/api/v1/reports', aReport('y-1', { createdAt: yesterday }));
    await w.until(() => w.deltas.length === 1, 'delta');
    await server.app.tick();
    await w.until(() => w.deltas.some((d) => d.city?.yesterday?.reports.received === 1), 'yesterday figure');
  });

  it('a POSTed report reaches the wall as a delta carrying its id and the changed KPIs', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const live1 = aReport('live-1');
    const res = await post(server.url, '/api/v1/reports', live1);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, duplicate: 0, rejected: 0 });
    await w.until(() => w.deltas.length === 1, 'delta');
    const d = w.deltas[0]!;
    expect(d.seq).toBe(w.snapshots[0]!.seq + 1);
    expect(d.fromSeq).toBe(d.seq);
    expect(d.reports!.map((r) => r.id)).toEqual(['live-1']);
    // Only the window that moved, as counts: the wall derives the rates.
    expect(Object.keys(d.city!)).toEqual(['today']);
    expect(d.city!.today!.reports.received).toBe(1);
    expect(d.city!.today!.dossiers).not.toHaveProperty('onTimeRate');
    expect(d.wards!['19753']!.today!.reports.received).toBe(1);
    expect(Object.keys(d.wards!)).toEqual(['19753']);
    // The same report again changes nothing: no delta, counted as a duplicate.
    const again = await post(server.url, '/api/v1/reports', live1);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 1 });
    await post(server.url, '/api/v1/reports', aReport('live-2'));
    await w.until(() => w.deltas.length === 2, 'second delta');
    expect(w.deltas[1]!.reports!.map((r) => r.id)).toEqual(['live-2']);
    expect(w.deltas[1]!.fromSeq).toBe(d.seq + 1);
  });

  it('resume { seq } answers with exactly what a wall missed, as one frame', async () => {
    server = await startTestServer();
    const first = wall(server.url);
    await first.until(() => first.snapshots.length === 1, 'snapshot');
    await post(server.url, '/api/v1/reports', aReport('before'));
    await first.until(() => first.deltas.length === 1, 'delta');
    const seq = first.lastSeq;
    first.close();

    for (const id of ['missed-1', 'missed-2', 'missed-3']) {
      expect((await post(server.url, '/api/v1/reports', aReport(id))).status).toBe(202);
    }

    const back = wall(server.url);
    await back.until(() => back.snapshots.length === 1, 'snapshot on reconnect');
    const before = back.deltas.length;
    const result = await new Promise<ResumeResult>((resolve) => back.socket.emit('resume', { seq }, resolve));
    expect(result).toEqual({ ok: true, mode: 'deltas', count: 3 });
    await back.until(() => back.deltas.length === before + 1, 'the missed entries');
    const missed = back.deltas.slice(before);
    expect(missed.map((d) => [d.fromSeq, d.seq])).toEqual([[seq + 1, seq + 3]]);
    expect(missed.flatMap((d) => d.reports!.map((r) => r.id))).toEqual(['missed-1', 'missed-2', 'missed-3']);
  });

  it('resume with a seq the server no longer has answers with a fresh snapshot', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const result = await new Promise<ResumeResult>((resolve) => w.socket.emit('resume', { seq: 5 }, resolve));
    expect(result).toEqual({ ok: true, mode: 'snapshot' });
    await w.until(() => w.snapshots.length === 2, 'fresh snapshot');
  });

  it(`resume answers up to ${MAX_RESUME_DELTAS} missed deltas as deltas, and with one snapshot past that`, async () => {
    server = await startTestServer();
    const first = wall(server.url);
    await first.until(() => first.snapshots.length === 1, 'snapshot');
    const start = first.lastSeq;
    // A tick is one (empty) delta: the cheapest way for the walls below to have missed many.
    // (The alert pipeline may add one of its own, so the seq to resume from is counted back from the end.)
    for (let i = 0; i < MAX_RESUME_DELTAS; i++) await server.app.tick();
    await first.until(() => first.lastSeq >= start + MAX_RESUME_DELTAS, `${MAX_RESUME_DELTAS} deltas`, 20_000);
    const seq = first.lastSeq - MAX_RESUME_DELTAS;

    const atLimit = wall(server.url);
    await atLimit.until(() => atLimit.snapshots.length === 1, 'snapshot');
    const asDeltas = await new Promise<ResumeResult>((resolve) => atLimit.socket.emit('resume', { seq }, resolve));
    expect(asDeltas).toEqual({ ok: true, mode: 'deltas', count: MAX_RESUME_DELTAS });

    const before = first.lastSeq;
    await server.app.tick();
    await first.until(() => first.lastSeq > before, 'one more delta');
    const past = wall(server.url);
    await past.until(() => past.snapshots.length === 1, 'snapshot');
    const asSnapshot = await new Promise<ResumeResult>((resolve) => past.socket.emit('resume', { seq }, resolve));
    expect(asSnapshot).toEqual({ ok: true, mode: 'snapshot' });
    await past.until(() => past.snapshots.length === 2, 'the snapshot instead of the deltas');
    expect(past.snapshots[1]!.seq).toBe(first.lastSeq);
    expect(past.deltas).toHaveLength(0);
  });

  it('a second resume within a few seconds is refused, and the wall is still served', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const seq = w.lastSeq;
    expect(await new Promise<ResumeResult>((resolve) => w.socket.emit('resume', { seq }, resolve))).toEqual({ ok: true, mode: 'deltas', count: 0 });
    const again = await new Promise<ResumeResult>((resolve) => w.socket.emit('resume', { seq: 5 }, resolve));
    expect(again).toMatchObject({ ok: false, error: { code: 'resume_too_soon' } });
    // Refused means nothing was sent: no second snapshot for the stale seq.
    await post(server.url, '/api/v1/reports', aReport('after-refused-resume'));
    await w.until(() => w.deltas.length === 1, 'delta after a refused resume');
    expect(w.snapshots).toHaveLength(1);
  });

  it('a malformed resume is answered with an error, and the wall is still served', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    const bad = await new Promise<ResumeResult>((resolve) => w.socket.emit('resume', { seq: 'x' } as unknown as { seq: number }, resolve));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_resume' } });
    await post(server.url, '/api/v1/reports', aReport('after-bad-resume'));
    await w.until(() => w.deltas.length === 1, 'delta after a bad resume');
  });

  it('never sends the reporter (personal data) to a wall', async () => {
    server = await startTestServer();
    const w = wall(server.url);
    await w.until(() => w.snapshots.length === 1, 'snapshot');
    await post(server.url, '/api/v1/reports', aReport('pd-1', { reporter: { name: 'Trần Thị Bí Mật', phone: '0912345678' } }));
    await w.until(() => w.deltas.length === 1, 'delta');
    const late = wall(server.url);
    await late.until(() => late.snapshots.length === 1, 'snapshot with the report');
    expect(late.snapshots[0]!.reports.map((r) => r.id)).toContain('pd-1');
    const snapshotHttp = await (await fetch(`${server.url}/api/v1/snapshot`)).text();
    for (const frame of [...w.frames, ...late.frames, snapshotHttp]) {
      expect(frame).not.toContain('Bí Mật');
      expect(frame).not.toContain('0912345678');
      expect(frame).not.toContain('reporter');
    }
  });

  it('keeps everything acknowledged across a restart on the same IOC_DATA_DIR', async () => {
    server = await startTestServer();
    const batch = Array.from({ length: 200 }, (_, i) => aReport(`keep-${i}`));
    expect((await post(server.url, '/api/v1/reports', batch)).body).toMatchObject({ accepted: 200 });
    const update = await post(server.url, '/api/v1/reports', aReport('keep-0', { status: 'responded', updatedAt: new Date().toISOString(), satisfied: true }));
    expect(update.body).toMatchObject({ accepted: 1 });
    const dataDir = server.dataDir;
    await server.stop();
    server = await startTestServer({ dataDir });
    const snap = (await (await fetch(`${server.url}/api/v1/snapshot`)).json()) as { reports: { id: string; status: string }[]; city: { today: { reports: { received: number; responded: number } } } };
    expect(snap.reports).toHaveLength(200);
    expect(snap.reports.find((r) => r.id === 'keep-0')!.status).toBe('responded');
    expect(snap.city.today.reports.responded).toBe(1);
  });

  it('serves the ward registry with geometry and a health check', async () => {
    server = await startTestServer();
    const wards = (await (await fetch(`${server.url}/api/v1/wards`)).json()) as { type: string; features: { properties: { code: string; name: string } }[] };
    expect(wards.type).toBe('FeatureCollection');
    expect(wards.features).toHaveLength(40);
    expect(wards.features.find((f) => f.properties.code === '19789')!.properties.name).toBe('Thuận Hóa');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: { ok: true, store: 'embedded' } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('ioc_ingest_items_total');
  });

  it('with IOC_METRICS_TOKEN set, /metrics needs it as a bearer token', async () => {
    const token = 'scrape-token-0123456789';
    server = await startTestServer({ env: { IOC_METRICS_TOKEN: token } });
    const without = await fetch(`${server.url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    const withToken = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('ioc_ingest_items_total');
    // Liveness stays open for the load balancer.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
