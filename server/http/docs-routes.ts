import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { buildOpenApiDocument } from './openapi/document';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/api/docs';

/**
 * Scalar's standalone bundle, from node_modules: the page works offline and nothing is fetched
 * from a CDN. The package does not export the file, so it is found beside its entry point.
 */
function scalarBundlePath(): string {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return path.join(path.dirname(entry), 'browser', 'standalone.js');
}

/**
 * Scalar's settings. No default fonts (they come from Scalar's own host), no telemetry, no AI
 * agent: the page talks to this server only, which the CSP (`connect-src 'self'`) enforces anyway.
 */
const SCALAR_CONFIG = {
  url: OPENAPI_PATH,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  hideClientButton: false,
  showDeveloperTools: 'never',
  defaultOpenAllTags: false,
};

/**
 * The page loads two scripts from this server and has no inline script, so it runs under the
 * same strict Content-Security-Policy as the wall (`script-src 'self'`): nothing is relaxed for it.
 */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>IOC Wall — API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${DOCS_PATH}/scalar.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;

// The document names no server (it is the same API wherever it runs): the page offers the one it came from.
const INIT_SCRIPT = `Scalar.createApiReference('#app', Object.assign(${JSON.stringify(SCALAR_CONFIG)}, { servers: [{ url: window.location.origin }] }));\n`;

/** `GET /api/v1/openapi.json` and the readable page at `/api/docs`; both public (no personal data in them). */
export function docsRouter(): Router {
  const router = Router();
  // Built once: the routes and their schemas do not change while the server runs.
  const document = JSON.stringify(buildOpenApiDocument());
  const bundle = scalarBundlePath();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(document);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.type('text/html').send(PAGE);
  });
  router.get(`${DOCS_PATH}/scalar.js`, (_req, res, next) => {
    res.sendFile(bundle, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => err && next(err));
  });
  router.get(`${DOCS_PATH}/init.js`, (_req, res) => {
    res.type('text/javascript').send(INIT_SCRIPT);
  });
  return router;
}
