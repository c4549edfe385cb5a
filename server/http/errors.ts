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
    if (err instanceof StoreUnavailableError) {
      // The store is away: no 202 that could not be kept; the producer retries.
      res.set('Retry-After', String(err.retryAfterSeconds));
      sendError(res, 503, 'store_unavailable', `the store cannot take items right now (${err.message}); nothing was accepted: retry in ${err.retryAfterSeconds} s`);
      return;
    }
    const e = err as BodyParserError;
    switch (e.type) {
      case 'entity.parse.failed':
        sendError(res, 400, 'malformed_json', `the body is not valid JSON: ${e.message ?? ''}`.trim());
        return;
      case 'entity.too.large':
        sendError(res, 413, 'body_too_large', `the body is larger than ${e.limit ?? '?'} bytes: send smaller batches (at most 5,000 items)`);
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        sendError(res, 415, 'unsupported_encoding', 'send the body as UTF-8');
        return;
      default:
        if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
          sendError(res, e.status, 'bad_request', e.message ?? 'bad request');
          return;
        }
        log(err);
        sendError(res, 500, 'internal', 'the server failed to handle this request; it has been logged');
    }
  };
}
