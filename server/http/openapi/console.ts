import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ALERT_STATES, alertActionBodySchema } from '@shared/alerts';
import { INCIDENT_TYPES, REPORT_CATEGORIES } from '@shared/categories';
import { roleSchema } from '@shared/roles';
import type { SessionAnswer, SignInAnswer } from '@shared/session';
import { alertListQuery } from '../alert-routes';
import { loginSchema } from '../session-routes';
import { SERVER_ERROR, errorResponse, errorResponses, json, retryAfter, signedIn, PUBLIC, type Agrees } from './common';

/** Sign-in and the duty console's alert API. */

export const sessionAnswerSchema = z.object({ name: z.string(), role: roleSchema });
export const signInAnswerSchema = sessionAnswerSchema.extend({
  token: z.string().meta({ description: 'The session token; it also rides in the httpOnly cookie.' }),
  expiresAt: z.iso.datetime({ offset: true }),
});
const sessionAgrees: Agrees<z.infer<typeof sessionAnswerSchema>, SessionAnswer> = true;
const signInAgrees: Agrees<z.infer<typeof signInAnswerSchema>, SignInAnswer> = true;
void sessionAgrees;
void signInAgrees;

const label = z.object({ vi: z.string(), en: z.string() });
const step = z.object({ by: z.string(), at: z.string(), note: z.string() });

/** An alert as the console reads it (shared/alerts.ts `Alert`; never personal data). */
export const alertSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  source: z.enum(['hotspot', 'incident', 'threshold', 'situation']).meta({ description: 'A situation is one city alert for rises of one kind (flooding) in several units; its evidence lists each unit (`evidence.units`).' }),
  ward: z.string().nullable(),
  category: z.enum(REPORT_CATEGORIES).optional(),
  incidentType: z.enum(INCIDENT_TYPES).optional(),
  severity: z.number().int().min(1).max(4),
  level: z.number().int().meta({ description: 'Escalation level: 0 until the acknowledgement time passes, then one more per period.' }),
  state: z.enum(ALERT_STATES),
  title: label,
  explanation: label,
  raisedAt: z.string(),
  updatedAt: z.string(),
  ackDueAt: z.string(),
  resolveDueAt: z.string(),
  renotifications: z.number().int(),
  acknowledged: step.optional(),
  resolved: step.optional(),
  evidence: z.looseObject({
    reportIds: z.array(z.string()).optional(),
    incidentIds: z.array(z.string()).optional(),
    dossierIds: z.array(z.string()).optional(),
    wards: z.array(z.string()).optional(),
    units: z
      .array(
        z.looseObject({
          ward: z.string(),
          joinedAt: z.string(),
          leftAt: z.string().optional(),
          matters: z.array(z.looseObject({ key: z.string(), severity: z.number().int().min(1).max(4), reportIds: z.array(z.string()).optional(), incidentIds: z.array(z.string()).optional() })),
          warningIds: z.array(z.string()),
        }),
      )
      .optional()
      .meta({ description: "A situation's units in the order they joined, each with its matters (what would have been an alert alone: observed/expected, reports, incidents) and the CAP warnings over it." }),
    warningIds: z.array(z.string()).optional(),
  }),
});

const alertId = z.object({ id: z.string().meta({ description: 'The alert id, as `GET /api/v1/alerts` lists it.' }) });
const consoleErrors = { 401: 'Not signed in.', 403: 'A viewer may not use the duty console.' };
const sameOriginNote = 'The cookie rides along with any request from a browser: only JSON from the console\'s own origin is taken (`Origin` checked, `Content-Type: application/json`).';

export const consolePaths: ZodOpenApiPathsObject = {
  '/api/v1/session': {
    post: {
      operationId: 'sign-in',
      tags: ['Session'],
      summary: 'Sign in',
      description: `Checks the name and password (IOC_USERS), sets the httpOnly session cookie and answers the token. ${sameOriginNote} Attempts are limited per name and address.`,
      security: PUBLIC,
      requestBody: { required: true, content: { 'application/json': { schema: loginSchema, examples: { officer: { value: { name: 'olga', password: 'correct horse battery staple' } } } } } },
      responses: {
        200: { description: 'Signed in; `Set-Cookie` carries the session.', content: json(signInAnswerSchema) },
        ...errorResponses({ 400: 'Name or password missing.', 401: 'Wrong name or password.', 403: 'From another origin.', 415: 'Not JSON.' }),
        429: { ...errorResponse('Too many attempts for this name or address.'), headers: retryAfter },
        503: { ...errorResponse('Too many sign-ins at once, or sessions unreadable (Redis away).'), headers: retryAfter },
        ...errorResponses(SERVER_ERROR),
      },
    },
    get: {
      operationId: 'who-am-i',
      tags: ['Session'],
      summary: 'Who is signed in',
      security: signedIn(),
      responses: { 200: { description: 'The session\'s person and role.', content: json(sessionAnswerSchema) }, ...errorResponses({ 401: 'Not signed in.' }) },
    },
    delete: {
      operationId: 'sign-out',
      tags: ['Session'],
      summary: 'Sign out',
      description: 'Ends the session and closes its open sockets on every node.',
      security: signedIn(),
      responses: { 204: { description: 'Signed out; the cookie is cleared.' }, ...errorResponses({ 403: 'From another origin.', 503: 'Sessions unreadable (Redis away).' }) },
    },
  },
  '/api/v1/alerts': {
    get: {
      operationId: 'list-alerts',
      tags: ['Alerts'],
      summary: 'List alerts',
      description: 'Officers and admins see every alert; a ward user sees its own ward\'s.',
      security: signedIn(),
      requestParams: { query: alertListQuery },
      responses: { 200: { description: 'The alerts in that state, newest first.', content: json(z.object({ alerts: z.array(alertSchema) })) }, ...errorResponses({ 400: 'Unknown state.', ...consoleErrors }) },
    },
  },
  '/api/v1/alerts/{id}': {
    get: {
      operationId: 'alert-evidence',
      tags: ['Alerts'],
      summary: 'One alert with its evidence',
      description: 'The alert and the reports (without personal data), incidents and dossiers its evidence names.',
      security: signedIn(),
      requestParams: { path: alertId },
      responses: {
        200: { description: 'The alert and its evidence.', content: json(z.object({ alert: alertSchema, reports: z.array(z.looseObject({ id: z.string() })), incidents: z.array(z.looseObject({ id: z.string() })), dossiers: z.array(z.looseObject({ id: z.string() })) })) },
        ...errorResponses({ ...consoleErrors, 404: 'No such alert in your view.' }),
      },
    },
  },
  ...Object.fromEntries(
    (['ack', 'resolve'] as const).map((action) => [
      `/api/v1/alerts/{id}/${action}`,
      {
        post: {
          operationId: `${action}-alert`,
          tags: ['Alerts'],
          summary: action === 'ack' ? 'Acknowledge an alert' : 'Resolve an alert',
          description: `${action === 'ack' ? 'Acknowledges it, with an optional note.' : 'Resolves it; the note (how it ended) is required.'} Attributed to the signed-in person and audited. ${sameOriginNote}`,
          security: signedIn(),
          requestParams: { path: alertId },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: alertActionBodySchema, examples: { note: { value: { note: action === 'ack' ? 'Đã giao tổ công tác phường xử lý' : 'Đã thu gom rác, khu vực sạch' } } } } },
          },
          responses: {
            200: { description: 'The alert as it is now.', content: json(z.object({ alert: alertSchema })) },
            ...errorResponses({ 400: 'Bad note (or no note to resolve with).', ...consoleErrors, 404: 'No such alert in your view.', 409: 'Already in that state, or changed meanwhile: reload and try again.', 415: 'Not JSON.' }),
          },
        },
      },
    ]),
  ),
};
