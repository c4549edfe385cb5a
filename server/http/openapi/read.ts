import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { PROTOCOL_VERSION } from '@shared/protocol';
import { WARD_CODES } from '@shared/wards';
import { kpiWindowQuery, MAX_KPI_WINDOW_MS } from '../kpi-routes';
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

const wardCode = z.object({ code: z.enum(WARD_CODES as [string, ...string[]]).meta({ description: 'One of the 40 official 5-digit codes (GET /api/v1/wards).', example: '19753' }) });
const weekPattern = z.string().regex(/^\d{4}-W\d{2}$/).meta({ example: '2026-W47' });
const windowDescription = `A window [from, to) of at most ${MAX_KPI_WINDOW_MS / 86_400_000} days; without one, today so far (local time).`;

export const readPaths: ZodOpenApiPathsObject = {
  '/api/v1/wards': {
    get: {
      operationId: 'wards',
      tags: ['Read'],
      summary: 'The ward registry',
      description: "Huế's 40 wards and communes with their geometry, as a GeoJSON FeatureCollection.",
      security: PUBLIC,
      responses: { 200: { description: 'GeoJSON FeatureCollection.', content: { 'application/geo+json': { schema: z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.looseObject({})) }) }, ...json(z.looseObject({ type: z.literal('FeatureCollection') })) } } },
    },
  },
  '/api/v1/snapshot': {
    get: {
      operationId: 'snapshot',
      tags: ['Read'],
      summary: 'The city and all wards now',
      description: `KPIs, open alerts, hotspots, the ranking and the recent items: what a wall starts from. ${wallAccess}`,
      security: signedIn(true),
      responses: { 200: { description: 'The snapshot.', content: json(snapshotSchema) }, ...wallErrors },
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
