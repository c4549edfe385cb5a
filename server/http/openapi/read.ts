import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { PROTOCOL_VERSION } from '@shared/protocol';
import { WARD_CODES } from '@shared/wards';
import { MAX_HISTORY_MARKS } from '@shared/replay';
import { kpiWindowQuery, MAX_KPI_WINDOW_MS } from '../kpi-routes';
import { REPLAY_SEEKS_PER_WINDOW, REPLAY_WINDOW_S } from '../replay-routes';
import { SERVER_ERROR, errorResponses, json, signedIn, PUBLIC } from './common';
import { alertSchema } from './console';

/**
 * The read API: the ward registry, the snapshot, KPIs over any window and the weekly briefing.
 * Their answers are large computed documents (shared/protocol.ts, shared/kpis.ts,
 * shared/briefing.ts); the schemas here name their top-level fields and leave the rest open.
 */

const wallAccess = 'Open when the wall is public (`IOC_PUBLIC_WALL=1`, or no `IOC_USERS`); otherwise any signed-in person. A ward user gets its own ward\'s view.';
const wallErrors = errorResponses({ 401: 'The wall is not public and nobody is signed in.', ...SERVER_ERROR });

const kpiSet = z.looseObject({
  from: z.string(),
  to: z.string(),
  reports: z.looseObject({}).meta({ description: 'Received, open, overdue, on-time rate, satisfaction.' }),
  dossiers: z.looseObject({}).meta({ description: 'Received, resolved, on-time rate, late, online, online payment, digitisation.' }),
  incidents: z.looseObject({}).meta({ description: 'Open by severity, time to acknowledge, time to close.' }),
  index766: z.looseObject({}).meta({ description: 'The computable part of the Decision 766/QĐ-TTg service index.' }),
});

const snapshotSchema = z.looseObject({
  type: z.literal('snapshot'),
  protocol: z.number().int().meta({ description: `The live protocol version (${PROTOCOL_VERSION}).` }),
  build: z.string().optional().meta({ description: 'The client build this server serves (a hash of its files): a wall whose page names another build reloads, at most once a minute.' }),
  seq: z.number().int(),
  at: z.string(),
  demo: z.boolean().meta({ description: 'True while the simulated feed is the source.' }),
  day: z.object({ from: z.string(), to: z.string() }),
  city: z.looseObject({}),
  wards: z.record(z.string(), z.looseObject({})),
  reports: z.array(z.looseObject({ id: z.string() })).meta({ description: 'Reports of the last 24 h, without personal data.' }),
  incidents: z.array(z.looseObject({ id: z.string() })).meta({ description: 'Incidents not closed.' }),
  alerts: z.array(alertSchema),
  hotspots: z.array(z.looseObject({})),
  ranking: z.looseObject({}),
});

const moment = z.string().meta({ description: 'ISO 8601 with its offset, to the minute or finer.', example: '2026-10-28T04:00+07:00' });
const snapshotQueryDoc = z.object({
  at: moment.optional(),
  seq: z.string().regex(/^\d+$/).optional().meta({ description: 'A seq the walls were sent (a snapshot\u2019s or frame\u2019s `seq`).' }),
});
const historyQueryDoc = z.object({ from: moment, to: moment });

const wardCode = z.object({ code: z.enum(WARD_CODES as [string, ...string[]]).meta({ description: 'One of the 40 official 5-digit codes (GET /api/v1/wards).', example: '19753' }) });
const weekPattern = z.string().regex(/^\d{4}-W\d{2}$/).meta({ example: '2026-W47' });
const windowDescription = `A window [from, to) of at most ${MAX_KPI_WINDOW_MS / 86_400_000} days; without one, today so far (local time).`;

export const readPaths: ZodOpenApiPathsObject = {
  '/api/v1/wards': {
    get: {
      operationId: 'wards',
      tags: ['Read'],
      summary: 'The ward registry',
      description:
        "The province's wards and communes (Huế's 40 by default; IOC_PROVINCE selects another) with their geometry and facts, as a GeoJSON FeatureCollection. " +
        'Its `province` member names the province served: `code`, `name`, `nameFull`, `type` (`thanh_pho`, `tinh`, or `ca_nuoc` for the whole country), `unitCount`, `areaKm2`, `population`, `bbox` and `mainlandBbox` ([west, south, east, north], the latter without the far islands), `offshore` (those islands\' unit codes), `coreBbox` and `coreUnits` (the dense centre, where the units are smallest; null where there is none). ' +
        'With IOC_PROVINCE=all, `provinces` lists the 34 provinces and each feature\'s `province` property is its own.',
      security: PUBLIC,
      responses: { 200: { description: 'GeoJSON FeatureCollection.', content: { 'application/geo+json': { schema: z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.looseObject({})) }) }, ...json(z.looseObject({ type: z.literal('FeatureCollection') })) } } },
    },
  },
  '/api/v1/provinces/outlines': {
    get: {
      operationId: 'provinceOutlines',
      tags: ['Read'],
      summary: "The 34 provinces' outlines",
      description:
        "Each province's outline as a MultiPolygon (its mainland and islands), the union of its communes' boundaries from the shipped nationwide data, with slivers between neighbours filled and coordinates to 4 decimals (about 11 m). " +
        'Properties `code` (2 digits) and `name`. The same whatever IOC_PROVINCE serves: the national wall draws the provinces with it.',
      security: PUBLIC,
      responses: { 200: { description: 'GeoJSON FeatureCollection of 34 features.', content: { 'application/geo+json': { schema: z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.looseObject({})) }) } } } },
    },
  },
  '/api/v1/snapshot': {
    get: {
      operationId: 'snapshot',
      tags: ['Read'],
      summary: 'The city and all wards now, or at a past moment (replay)',
      description: `KPIs, open alerts, hotspots, the ranking and the recent items: what a wall starts from. ${wallAccess} With \`at\` or \`seq\`, the snapshot the walls held after the last frame sent at or before that moment (or up to that seq), exactly as they held it, marked \`replay: true\`; from the history this server kept since it first started (docs/integrating.md, Replay). An anonymous reader of a public wall may replay only with \`IOC_PUBLIC_REPLAY=1\`. At most ${REPLAY_SEEKS_PER_WINDOW} replays per ${REPLAY_WINDOW_S} s per person or address.`,
      security: signedIn(true),
      requestParams: { query: snapshotQueryDoc },
      responses: {
        200: { description: 'The snapshot (with `replay: true` for a past moment).', content: json(snapshotSchema) },
        ...errorResponses({
          400: '`at` does not parse, has no offset or lies in the future; `seq` is not a whole number or beyond the last one sent; both given. `details.parameter` names it.',
          403: 'A replay asked by someone not signed in, without IOC_PUBLIC_REPLAY=1.',
          404: 'The moment is before the history kept (`before_history`; the message and `details.historyStarts` say when it starts), or in a stretch this node does not keep yet (`not_kept`: with several nodes, what another node sent in its last hour reaches this one within the hour).',
          429: 'Too many replays: wait `Retry-After` seconds.',
        }),
        ...wallErrors,
      },
    },
  },
  '/api/v1/history': {
    get: {
      operationId: 'history',
      tags: ['Read'],
      summary: 'What the replay time bar draws: reports, incidents and alerts per hour, and the moments to step to',
      description: `Per hour of [from, to) (at most 31 days): reports created, incidents that occurred, alerts raised; the incidents and alerts as marks (at most ${MAX_HISTORY_MARKS}, the most severe kept); and \`range\`, the first moment a replay can open. Cut to what the reader may see. ${wallAccess}`,
      security: signedIn(true),
      requestParams: { query: historyQueryDoc },
      responses: {
        200: {
          description: 'The overview.',
          content: json(
            z.object({
              range: z.object({ fromSeq: z.number().int(), fromAt: z.string() }).nullable(),
              from: z.string(),
              to: z.string(),
              hours: z.array(z.object({ at: z.string(), reports: z.number().int(), incidents: z.number().int(), alerts: z.number().int() })),
              marks: z.array(z.object({ at: z.string(), kind: z.enum(['alert', 'incident']), id: z.string(), ward: z.string().nullable(), severity: z.number().int() })),
            }),
          ),
        },
        ...errorResponses({ 400: '`from`/`to` missing, unreadable, reversed or more than 31 days apart; `details.parameter` names it.', 403: 'Someone not signed in, without IOC_PUBLIC_REPLAY=1.' }),
        ...wallErrors,
      },
    },
  },
  '/api/v1/wards/{code}/kpis': {
    get: {
      operationId: 'ward-kpis',
      tags: ['KPIs'],
      summary: "A ward's KPIs over a window",
      description: `${windowDescription} With the ward's comprehensive index and the indicators behind it. A ward user reads its own ward only.`,
      security: signedIn(true),
      requestParams: { path: wardCode, query: kpiWindowQuery },
      responses: {
        200: { description: "The ward's KPI set, its index and the workings.", content: json(kpiSet.extend({ ward: z.string(), name: z.string(), explain: z.looseObject({}) })) },
        ...errorResponses({ 400: 'Bad window.', 404: 'Unknown ward, or another ward than a ward user\'s own.' }),
        ...wallErrors,
      },
    },
  },
  '/api/v1/city/kpis': {
    get: {
      operationId: 'city-kpis',
      tags: ['KPIs'],
      summary: "The city's KPIs over a window",
      description: `${windowDescription}`,
      security: signedIn(true),
      requestParams: { query: kpiWindowQuery },
      responses: { 200: { description: "The city's KPI set.", content: json(kpiSet) }, ...errorResponses({ 400: 'Bad window.' }), ...wallErrors },
    },
  },
  '/api/v1/briefing': {
    get: {
      operationId: 'briefing',
      tags: ['Briefing'],
      summary: 'The weekly briefing',
      description: `A week's city summary, the ranking of the 40 wards (with \`rankRange\` and \`movement\`) and each ward's figures, overdue items and hotspots. ${wallAccess}`,
      security: signedIn(true),
      requestParams: { query: z.object({ week: weekPattern.optional().meta({ description: 'An ISO week; default the last full week.' }) }) },
      responses: {
        200: { description: 'The briefing.', content: json(z.looseObject({ week: z.string(), from: z.string(), to: z.string(), partial: z.boolean(), city: z.looseObject({}), ranking: z.array(z.looseObject({})), wards: z.array(z.looseObject({})) })) },
        ...errorResponses({ 400: 'Not an ISO week, a week not begun, or an unknown parameter.' }),
        ...wallErrors,
      },
    },
  },
  '/api/v1/briefing/{week}.xlsx': {
    get: {
      operationId: 'briefing-xlsx',
      tags: ['Briefing'],
      summary: 'The weekly briefing as XLSX',
      description: `The same briefing as a workbook (\`Content-Disposition: attachment\`). ${wallAccess}`,
      security: signedIn(true),
      requestParams: { path: z.object({ week: weekPattern }) },
      responses: {
        200: { description: 'The workbook.', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } } },
        ...errorResponses({ 400: 'Not an ISO week, or a week not begun.' }),
        ...wallErrors,
      },
    },
  },
};
