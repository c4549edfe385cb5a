import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { IngestKey } from '../config/env';
import { sendError } from '../http/errors';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * The producer (`source`) a presented key belongs to, or null. Keys are compared as SHA-256 digests
 * with timingSafeEqual, so the comparison time does not leak how much of a key was right.
 */
export function ingestKeyMatcher(keys: readonly IngestKey[]): (presented: string) => string | null {
  const known = keys.map((k) => ({ source: k.source, digest: digest(k.key) }));
  return (presented) => {
    const d = digest(presented);
    return known.find((k) => timingSafeEqual(k.digest, d))?.source ?? null;
  };
}

/** The key of an `Authorization: Bearer <key>` header, or null when the header is absent or not Bearer. */
export function bearerKey(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * Checks `Authorization: Bearer <key>` against IOC_INGEST_KEYS.
 * The matching key's source name is put on `res.locals.ingestSource`.
 */
export function requireIngestKey(keys: readonly IngestKey[]): RequestHandler {
  const match = ingestKeyMatcher(keys);
  return (req, res, next) => {
    const key = bearerKey(req.get('authorization'));
    if (key === null) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'missing_key', 'send an ingest key as "Authorization: Bearer <key>" (keys are set in IOC_INGEST_KEYS)');
      return;
    }
    const source = match(key);
    if (source === null) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(res, 401, 'invalid_key', 'the ingest key is not valid');
      return;
    }
    res.locals.ingestSource = source;
    next();
  };
}
