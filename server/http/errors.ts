import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorBody } from '@shared/protocol';
import { StoreUnavailableError } from '../store/store';

/** Sends the contract's error body: `{ error: { code, message, details? } }`. */
export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(body);
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

/** What an error becomes for the client: status, the contract's code and message, and any headers. */
export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** What anything unexpected becomes: no internals in it (the log has them). */
export const INTERNAL_ERROR: ErrorReply = { status: 500, code: 'internal', message: 'the server failed to handle this request; it has been logged' };

/**
 * The answer for a body-parser error or an unavailable store (503 + Retry-After); null for anything
 * unexpected (a 500 with no internals in it, logged). Shared by the express routes and the ingest
 * fast path, so both word the same failure the same way.
 */
export function errorReply(err: unknown): ErrorReply | null {
  if (err instanceof StoreUnavailableError) {
    // The store is away: no 202 that could not be kept; the producer retries.
    return {
      status: 503,
      code: 'store_unavailable',
      message: `the store cannot take items right now (${err.message}); nothing was accepted: retry in ${err.retryAfterSeconds} s`,
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
    };
  }
  const e = err as BodyParserError;
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'malformed_json', message: `the body is not valid JSON: ${e.message ?? ''}`.trim() };
    case 'entity.too.large':
      return { status: 413, code: 'body_too_large', message: `the body is larger than ${e.limit ?? '?'} bytes: send smaller batches (at most 5,000 items)` };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported_encoding', message: 'send the body as UTF-8' };
    default:
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, code: 'bad_request', message: e.message ?? 'bad request' };
      return null;
  }
}

/**
 * Turns body-parser errors, an unavailable store (503 + Retry-After) and unexpected errors into the
 * contract's error body. Anything unexpected is a
 * 500 with no internals in it; the log has the rest.
 */
export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const reply = errorReply(err);
    if (reply === null) {
      log(err);
      sendError(res, INTERNAL_ERROR.status, INTERNAL_ERROR.code, INTERNAL_ERROR.message);
      return;
    }
    if (reply.headers) res.set(reply.headers);
    sendError(res, reply.status, reply.code, reply.message);
  };
}
