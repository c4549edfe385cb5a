import express, { type Request, type Response } from 'express';
import { sendError, type ErrorReply } from './errors';

/**
 * Deepest nesting a JSON body may have. The deepest real input is an ingest batch of incidents with
 * an area: batch, item, area, rings, ring, position — 6 levels. Deeper input is refused before any
 * schema reads it, so no recursive walk (a schema, an error message, JSON.stringify) meets it.
 */
export const MAX_JSON_DEPTH = 32;

/** The answer to a body nested more than MAX_JSON_DEPTH levels (the express routes' and the ingest fast path's). */
export const TOO_DEEP: ErrorReply = { status: 400, code: 'too_deep', message: `the body is nested more than ${MAX_JSON_DEPTH} levels deep; nothing this API reads needs more than 6` };

/** True when `value` nests more than `max` arrays/objects; iterative, so any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** express.json, then a 400 for a body nested more than MAX_JSON_DEPTH levels: every JSON body the API reads goes through this. */
export function jsonBody(options: Parameters<typeof express.json>[0]): ReturnType<typeof express.json> {
  const parse = express.json(options);
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err !== undefined) {
        next(err);
        return;
      }
      if (nestsDeeperThan((req as Request).body, MAX_JSON_DEPTH)) {
        sendError(res as Response, TOO_DEEP.status, TOO_DEEP.code, TOO_DEEP.message);
        return;
      }
      next();
    });
  };
}
