import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { MAX_CAP_BYTES } from '../cap-routes';
import { SECURITY, SERVER_ERROR, errorResponse, errorResponses, ingestKeyOnly, json, retryAfter, signedIn } from './common';
import { ingestResultSchema } from './ingest';

/**
 * OASIS CAP 1.2 in and out. Kept apart from the rest of the document so that the CAP routes can
 * change (their own module, feeds, the Atom feed of the IOC's alerts) with an edit here alone.
 */

/** A real-looking warning of the hydro-meteorological service over central Huế. */
export const CAP_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>KTTV-HUE-2026-11-20-001</identifier>
  <sender>kttv@hue.gov.vn</sender>
  <sent>2026-11-20T07:00:00+07:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Ngập lụt</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <headline>Ngập sâu khu vực trung tâm</headline>
    <area>
      <areaDesc>Trung tâm Huế</areaDesc>
      <polygon>16.47,107.57 16.47,107.59 16.45,107.59 16.45,107.57 16.47,107.57</polygon>
    </area>
  </info>
</alert>`;

const capAnswer = ingestResultSchema.extend({
  incidents: z.array(z.string()).optional().meta({ description: 'The incidents the message created, updated or closed.' }),
  ignored: z.string().optional().meta({ description: 'Why an accepted message made no incident (e.g. a Test or an Exercise).' }),
  note: z.string().optional().meta({ description: 'What was done with a Cancel or Update of a message never seen here (taken, not refused).' }),
  alerts: z
    .array(
      z.object({
        index: z.number().int(),
        identifier: z.string().optional(),
        sender: z.string().optional(),
        status: z.number().int().meta({ description: 'This alert’s own HTTP-like status.' }),
        result: z.record(z.string(), z.unknown()).meta({ description: 'Its ingest answer, or its error body.' }),
      }),
    )
    .optional()
    .meta({ description: 'For an `<alerts>` wrapper: each alert’s result, in order.' }),
});

export const capPaths: ZodOpenApiPathsObject = {
  '/api/v1/cap': {
    post: {
      operationId: 'cap-push',
      tags: ['CAP 1.2'],
      summary: 'Push a CAP 1.2 alert',
      description:
        `One CAP 1.2 (or 1.1, 1.0) \`<alert>\`, or an \`<alerts>\` wrapper of several (each handled in turn, one result each), as XML, at most ${MAX_CAP_BYTES / 1024 / 1024} MiB; a DOCTYPE is refused. ` +
        'An Alert or Update becomes an incident with its area on the map; a Cancel closes what it references, and a Cancel or Update of a message never seen here is taken with a note (never a 404). Areas outside Huế are refused.',
      security: ingestKeyOnly,
      requestBody: {
        required: true,
        content: { 'application/xml': { schema: z.string().meta({ description: 'A CAP `<alert>` document, UTF-8.' }), examples: { flood: { summary: 'A flood warning', value: CAP_EXAMPLE } } } },
      },
      responses: {
        202: { description: 'Taken (or ignored, with why).', content: json(capAnswer) },
        ...errorResponses({
          400: 'Empty, not CAP, an area outside Huế, or a `sent` time out of bounds.',
          401: 'No valid ingest key.',
          413: `Over ${MAX_CAP_BYTES / 1024 / 1024} MiB.`,
          415: 'Not UTF-8 XML, or a DOCTYPE.',
        }),
        503: { ...errorResponse('The store cannot write: retry.'), headers: retryAfter },
        ...errorResponses(SERVER_ERROR),
      },
    },
  },
  '/api/v1/cap/alerts.atom': {
    get: {
      operationId: 'cap-alerts-atom',
      tags: ['CAP 1.2'],
      summary: "The IOC's open alerts as CAP 1.2 in Atom",
      description:
        'Incidents of severity 3 and up and hotspots, each entry a CAP 1.2 message: `Update` when an alert changes, `Cancel` when it is resolved. ' +
        'No personal data. For signed-in users, or with a feed token (`?token=` or Bearer).',
      security: [...signedIn(), { [SECURITY.feedToken]: [] }, { [SECURITY.feedTokenBearer]: [] }],
      responses: {
        200: { description: 'An Atom feed of CAP messages.', content: { 'application/atom+xml': { schema: z.string().meta({ description: 'Atom 1.0; each entry\'s content is a CAP 1.2 `<alert>`.' }) } } },
        ...errorResponses({ 401: 'Neither signed in nor a valid feed token.' }),
      },
    },
  },
};
