import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import type { ErrorBody } from '@shared/protocol';
import { SESSION_COOKIE } from '../../auth/sessions';

/**
 * What every part of the OpenAPI document shares: the error body, the security schemes and the
 * helpers that write an operation's error answers. Response schemas that mirror a TypeScript type
 * of the contract are checked against it at compile time (`Agrees`), so neither can change alone.
 */

/** True when A and B are the same type; a `const x: Agrees<A, B> = true` fails to compile otherwise. */
export type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** `{ error: { code, message, details? } }`: every error of the API (GeoReport paths excepted). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'A stable, machine-readable reason, e.g. `invalid_body`, `sign_in_required`.' }),
      message: z.string().meta({ description: 'What went wrong and what to do, for a person.' }),
      details: z.unknown().optional().meta({ description: 'Per-field detail where there is some (e.g. `[{ field, code, message }]`).' }),
    }),
  })
  .meta({ example: { error: { code: 'invalid_query', message: 'state: use open, acknowledged, resolved or all' } } });
const errorBodyAgrees: Agrees<z.infer<typeof errorBodySchema>, ErrorBody> = true;
void errorBodyAgrees;

/** Security requirement names, as `components.securitySchemes` declares them. */
export const SECURITY = {
  ingestKey: 'ingestKey',
  sessionCookie: 'sessionCookie',
  sessionBearer: 'sessionBearer',
  metricsToken: 'metricsToken',
  feedToken: 'feedToken',
  feedTokenBearer: 'feedTokenBearer',
} as const;

export const securitySchemes = {
  [SECURITY.ingestKey]: {
    type: 'http',
    scheme: 'bearer',
    description: "A producer's ingest key (`IOC_INGEST_KEYS`, `source:key`), sent as `Authorization: Bearer <key>`.",
  },
  [SECURITY.sessionCookie]: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The httpOnly session cookie `POST /api/v1/session` sets.',
  },
  [SECURITY.sessionBearer]: {
    type: 'http',
    scheme: 'bearer',
    description: 'The session token `POST /api/v1/session` answers, for a client that cannot use the cookie.',
  },
  [SECURITY.metricsToken]: {
    type: 'http',
    scheme: 'bearer',
    description: '`IOC_METRICS_TOKEN`, when it is set (otherwise `/metrics` is open).',
  },
  [SECURITY.feedToken]: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'A feed token, for a feed reader that can only follow a URL.',
  },
  [SECURITY.feedTokenBearer]: {
    type: 'http',
    scheme: 'bearer',
    description: 'A feed token sent as `Authorization: Bearer <token>`.',
  },
} as const;

/** Signed in by cookie or bearer token; `open` adds "nobody", for the wall's reads when the wall is public. */
export function signedIn(open = false): Record<string, string[]>[] {
  return [{ [SECURITY.sessionCookie]: [] }, { [SECURITY.sessionBearer]: [] }, ...(open ? [{}] : [])];
}

export const ingestKeyOnly = [{ [SECURITY.ingestKey]: [] }];

/** No authentication at all. */
export const PUBLIC: Record<string, string[]>[] = [];

/** JSON content of one schema. */
export function json(schema: z.ZodType, extra: { example?: unknown } = {}) {
  return { 'application/json': { schema, ...extra } };
}

/** One answer in the project's error format. */
export function errorResponse(description: string): ZodOpenApiResponseObject {
  return { description, content: json(errorBodySchema) };
}

/** Error answers by status, each in the project's error format. */
export function errorResponses(byStatus: Record<number, string>): ZodOpenApiResponsesObject {
  return Object.fromEntries(Object.entries(byStatus).map(([status, description]) => [status, errorResponse(description)]));
}

/** The answers every endpoint may give whatever its own rules: the server's own failure. */
export const SERVER_ERROR = { 500: 'The server failed; nothing internal is in the answer, the log has it.' };

/** A `Retry-After` header, seconds. */
export const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } } as const;
