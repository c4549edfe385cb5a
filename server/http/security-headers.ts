import { IncomingMessage, ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The wall's own page: the only document IOC_FRAME_ANCESTORS may let another site frame. */
function isWallPage(req: IncomingMessage): boolean {
  const pathname = (req.url ?? '/').split('?', 1)[0];
  return pathname === '/' || pathname === '/index.html';
}

/**
 * Response headers for every answer, through helmet (maintained, and it knows each header's
 * current spelling and pitfalls).
 *
 * The Content-Security-Policy is what the built wall, console and briefing need and no more:
 * scripts, styles, fonts and the MapLibre worker from the server itself (Vite bundles the fonts;
 * MapLibre may start its worker from a blob: URL); `'unsafe-inline'` styles, because Solid,
 * MapLibre and ECharts set style attributes; data:/blob: images (map and chart canvases, small
 * inlined assets); connections to the same origin only (the API and socket.io's websocket).
 * No inline or eval'd script is allowed.
 *
 * Framing: `frame-ancestors 'none'` (and X-Frame-Options: DENY) on everything, except that the
 * wall's page takes IOC_FRAME_ANCESTORS when it is set, so an intranet portal can embed the wall but
 * never the duty console.
 *
 * Referrer-Policy is `same-origin`, not helmet's `no-referrer`: with `no-referrer` a browser sends
 * `Origin: null` on the console's own POSTs, which the cross-site check (origin.ts) must refuse.
 */
export function securityHeaders(frameAncestors: readonly string[]): RequestHandler {
  const framable = (req: IncomingMessage): boolean => frameAncestors.length > 0 && isWallPage(req);
  // Two fixed policies, not one with a per-request directive: helmet builds and checks a fixed
  // policy once, where a function directive is rebuilt and re-validated on every answer (every
  // ingest POST included).
  const helmetWith = (ancestors: string) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: [ancestors],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      // Set below, per page: X-Frame-Options has no allow-list, so a framable wall must not send it.
      xFrameOptions: false,
      // Without includeSubDomains: the wall's host says nothing about its parent domain's other sites.
      strictTransportSecurity: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false },
    });
  const everywhere = helmetWith("'none'");
  const wallPage = frameAncestors.length > 0 ? helmetWith(frameAncestors.join(' ')) : everywhere;
  return (req, res, next) => {
    if (framable(req)) {
      wallPage(req, res, next);
      return;
    }
    res.setHeader('X-Frame-Options', 'DENY');
    everywhere(req, res, next);
  };
}

/**
 * The headers `securityHeaders` gives an answer at `url`, worked out once by running it on a request
 * that goes nowhere: for the ingest fast path, which answers before express and must send exactly
 * what every other answer sends (helmet stays the one that knows them).
 */
export function securityHeadersFor(frameAncestors: readonly string[], url: string): OutgoingHttpHeaders {
  const req = new IncomingMessage(new Socket());
  req.url = url;
  req.method = 'POST';
  const res = new ServerResponse(req);
  let done = false;
  securityHeaders(frameAncestors)(req as Request, res as unknown as Response, () => (done = true));
  if (!done) throw new Error('securityHeaders did not call next');
  return res.getHeaders();
}
