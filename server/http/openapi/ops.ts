import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { SECURITY, errorResponses, json, PUBLIC } from './common';

/** Liveness, readiness, metrics, and this document itself. */

const healthSchema = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  reasons: z.array(z.string()).meta({ description: 'Why it is degraded, in words: no path, address or internal error (those are in the details).' }),
  store: z.looseObject({ ok: z.boolean(), store: z.string(), detail: z.string().optional().meta({ description: 'Only with IOC_METRICS_TOKEN as a bearer token, or to a signed-in admin.' }) }),
  seq: z.number().int(),
  alertLeader: z.boolean(),
  simulate: z.boolean(),
});

export const opsPaths: ZodOpenApiPathsObject = {
  '/healthz': {
    get: {
      operationId: 'healthz',
      tags: ['Operations'],
      summary: 'Liveness and store reachability',
      description: 'Open: the status and its reasons. With IOC_METRICS_TOKEN as a bearer token, or to a signed-in admin, also the details: the store\u2019s (journal path, Redis address) and each followed CAP feed (`capFeeds`).',
      security: PUBLIC,
      responses: {
        200: { description: 'Up, and the store can write.', content: json(healthSchema) },
        503: { description: 'Up, but the store cannot write (a full disk) or is away: the reason is in `reasons`.', content: json(healthSchema) },
      },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readyz',
      tags: ['Operations'],
      summary: 'Readiness',
      description: '503 until replay, backfill and the first baselines are done, then 200: a balancer sends walls and producers only once the figures are whole.',
      security: PUBLIC,
      responses: {
        200: { description: 'Ready.', content: json(z.object({ status: z.literal('ready') })) },
        503: { description: 'Still starting.', content: json(z.object({ status: z.literal('starting'), detail: z.string() })) },
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      description: 'The Prometheus text exposition format. Behind `IOC_METRICS_TOKEN` when it is set; open otherwise.',
      security: [{ [SECURITY.metricsToken]: [] }, {}],
      responses: {
        200: { description: 'Metrics.', content: { 'text/plain; version=0.0.4': { schema: z.string(), example: '# TYPE ioc_ingest_items_total counter\nioc_ingest_items_total{kind="report",outcome="accepted"} 42\n' } } },
        ...errorResponses({ 401: 'IOC_METRICS_TOKEN is set and the request does not carry it.' }),
      },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      operationId: 'openapi',
      tags: ['Operations'],
      summary: 'This document',
      description: 'OpenAPI 3.1, generated from the schemas the routes validate with. Readable at `/api/docs`.',
      security: PUBLIC,
      responses: { 200: { description: 'The OpenAPI document.', content: json(z.looseObject({ openapi: z.string() })) } },
    },
  },
};
