import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { sendError } from './errors';

/**
 * Is this browser request from the wall's own site (or an origin the deployment allows)?
 *
 * The session cookie is SameSite=Strict, but that is one browser setting between a foreign page and
 * the duty console's actions; the Origin header is the check the browser cannot be talked out of.
 * - `Origin` present: it must name this host (the Host the request came to), or be listed in
 *   IOC_ALLOWED_ORIGINS. `null` (sandboxed frames, privacy redirects) is refused.
 * - no `Origin` but `Sec-Fetch-Site`: `cross-site` and `same-site` are refused (a sibling subdomain is
 *   another site as far as the console is concerned), `same-origin` and `none` (typed by the user) pass.
 * - neither: not a browser (curl, an integration, a test), which cannot ride a victim's cookie. Pass.
 *
 * The host is compared without the scheme: behind a TLS proxy the server sees http while the page is
 * https, and one host and port serve one scheme anyway. A proxy that rewrites Host must have its
 * public origin listed in IOC_ALLOWED_ORIGINS.
 */
export function fromAllowedOrigin(headers: IncomingHttpHeaders, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false; // includes "null"
    }
    if (allowedOrigins.has(parsed.origin)) return true;
    const host = headers.host;
    return host !== undefined && parsed.host.toLowerCase() === host.toLowerCase();
  }
  const site = headers['sec-fetch-site'];
  return site !== 'cross-site' && site !== 'same-site';
}

/**
 * For cookie-authenticated browser routes that change something (sign-in, sign-out, alert actions):
 * refuses a request from another site (403). Machine-to-machine routes (ingest keys) do not use it.
 */
export function requireSameOrigin(allowedOrigins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    if (fromAllowedOrigin(req.headers, allowedOrigins)) {
      next();
      return;
    }
    sendError(res, 403, 'cross_origin', 'this request comes from another site: the console acts only from its own pages (or an origin listed in IOC_ALLOWED_ORIGINS)');
  };
}

/**
 * The body must be declared JSON. A browser sends text/plain, form and multipart bodies across sites
 * without asking (no CORS preflight); a JSON body it never does without the server's leave.
 */
export function requireJsonBody(): RequestHandler {
  return (req, res, next) => {
    if (req.is('application/json')) {
      next();
      return;
    }
    sendError(res, 415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  };
}
