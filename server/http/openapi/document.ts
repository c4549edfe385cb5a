import { createDocument } from 'zod-openapi';
import { isoDateTime } from '@shared/schemas';
import { capPaths } from './cap';
import { errorBodySchema, securitySchemes } from './common';
import { consolePaths } from './console';
import { ingestComponents, ingestPaths } from './ingest';
import { open311Paths } from './open311';
import { opsPaths } from './ops';
import { readPaths } from './read';

/** The version of the HTTP API this document describes (the `/api/v1` contract). */
export const API_VERSION = '1.0.0';

/**
 * The OpenAPI 3.1 document of the whole HTTP API, built by zod-openapi from the very zod schemas
 * the routes validate with. One module per part (ingest, read, console, Open311, CAP, operations).
 */
export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'IOC Wall — Huế',
      version: API_VERSION,
      description:
        "The HTTP API of Huế's operations centre wall: ingest of citizen reports, dossiers and incidents, the read API of the wall and the weekly briefing, " +
        'the duty console, Open311 GeoReport v2 and OASIS CAP 1.2. Errors are `{ "error": { "code", "message", "details"? } }` except on the GeoReport paths, which use the standard\'s. ' +
        'The live feed (socket.io) is described in docs/integrating.md (Ingest API: Frames).',
    },
    tags: [
      { name: 'Ingest', description: 'Producers send items; behind an ingest key.' },
      { name: 'Read', description: "The wall's data." },
      { name: 'KPIs', description: 'The KPI rules over any window.' },
      { name: 'Briefing', description: 'The weekly meeting with the 40 wards.' },
      { name: 'Session', description: 'Sign-in for the console and a private wall.' },
      { name: 'Alerts', description: "The duty console's alert queue." },
      { name: 'Open311 GeoReport v2', description: 'Citizen requests by the GeoReport v2 standard.' },
      { name: 'CAP 1.2', description: 'Warnings in and out by OASIS CAP 1.2.' },
      { name: 'Operations', description: 'Health, readiness, metrics, this document.' },
    ],
    paths: { ...ingestPaths, ...readPaths, ...consolePaths, ...open311Paths, ...capPaths, ...opsPaths },
    components: {
      schemas: { ErrorBody: errorBodySchema, DateTime: isoDateTime, ...ingestComponents },
      securitySchemes,
    },
  });
}
