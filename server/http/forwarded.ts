import type { TLSSocket } from 'node:tls';
import express, { type Express, type Request, type RequestHandler } from 'express';

const WEB_PROTOCOLS = new Set(['http', 'https']);

/**
 * Makes `req.protocol` (and with it `req.secure`) believe a trusted proxy's `X-Forwarded-Proto` only
 * when it is `http` or `https`; anything else is the connection's own protocol. Express passes the
 * header's first value through as it is, so a `javascript` from the proxy's client ended up in the
 * Open311 discovery URL and the CAP Atom `self` link (issue 19, item 10). Set on this app's own
 * request prototype: every route that builds a URL from `req.protocol` gets the checked value.
 */
export function believeOnlyWebProtocols(app: Express): void {
  const expressProtocol = Object.getOwnPropertyDescriptor(express.request, 'protocol')?.get;
  if (!expressProtocol) throw new Error('express.request has no protocol getter to wrap');
  Object.defineProperty(app.request, 'protocol', {
    configurable: true,
    enumerable: true,
    get(this: Request): string {
      const claimed = String(expressProtocol.call(this)).toLowerCase();
      if (WEB_PROTOCOLS.has(claimed)) return claimed;
      return (this.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
    },
  });
}

/**
 * Says once (not per request) when a request carries `X-Forwarded-For` from a peer that
 * IOC_TRUST_PROXY does not trust: there is a proxy in front that the setting does not name, so every
 * client has the proxy's address, and the per-address sign-in and read limits count them all as one.
 */
export function warnOnUntrustedForwarding(onUntrusted: (peer: string) => void): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      const peer = req.socket.remoteAddress ?? 'unknown';
      const trust = req.app.get('trust proxy fn') as (addr: string, i: number) => boolean;
      if (!trust(peer, 0)) {
        warned = true;
        onUntrusted(peer);
      }
    }
    next();
  };
}
