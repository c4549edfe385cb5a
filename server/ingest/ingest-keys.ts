import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { IngestKey } from '../config/env';
import { sendError } from '../http/errors';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * Checks `Authorization: Bearer <key>` against IOC_INGEST_KEYS. Keys are compared as SHA-256 digests
 * with timingSafeEqual, so the comparison time does not leak how much of a key was right.
 * The matching key's source name is put on `res.locals.ingestSource`.
 */
export function requireIngestKey(keys: readonly IngestKey[]): RequestHandler {
  const known = keys.map((k) => ({ source: k.source, digest: digest(k.key) }));
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'missing_key', 'send an ingest key as "Authorization: Bearer <key>" (keys are set in IOC_INGEST_KEYS)');
      return;
    }
    const d = digest(m[1]!);
    const match = known.find((k) => timingSafeEqual(k.digest, d));
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(res, 401, 'invalid_key', 'the ingest key is not valid');
      return;
    }
    res.locals.ingestSource = match.source;
    next();
  };
}
