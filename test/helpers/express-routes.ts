import type { Express } from 'express';

/**
 * The routes an Express 5 app has registered, read from its router stack (router 2.x layers keep
 * the path they were registered with as `rawPath`, and their own path-to-regexp matchers). Each
 * route is matched with the very matchers Express routes requests with, so "does a route serve this
 * URL" is Express's own answer, not a re-implementation.
 */

type Matcher = (path: string) => false | { path: string };

interface LayerLike {
  rawPath?: unknown;
  matchers?: Matcher[];
  /** A mount without a path (`app.use(router)`): Express matches every URL and consumes nothing. */
  slash?: boolean;
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

export interface RegisteredRoute {
  /** Lower-case HTTP method. */
  method: string;
  /** The full path as registered, e.g. `/api/v1/alerts/:id` (a RegExp as its source). */
  label: string;
  /** True when this route's path matches the URL path. */
  matches(url: string): boolean;
}

function rawPaths(layer: LayerLike): string[] {
  if (layer.rawPath === undefined || !layer.matchers) throw new Error('an Express layer without rawPath/matchers: the router package changed; update test/helpers/express-routes.ts');
  const raw = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
  return raw.map((p) => (p instanceof RegExp ? `RegExp(${p.source})` : String(p)));
}

/** Matches a URL through mount layers (each consumes its prefix) and then the route's own matcher. */
function matchChain(chain: Matcher[], url: string): boolean {
  let rest = url;
  for (let i = 0; i < chain.length; i++) {
    const m = chain[i]!(rest);
    if (!m) return false;
    if (i < chain.length - 1) {
      rest = rest.slice(m.path.length);
      if (!rest.startsWith('/')) rest = `/${rest}`;
    }
  }
  return true;
}

function walk(stack: LayerLike[], prefix: string, chain: Matcher[], out: RegisteredRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = rawPaths(layer);
      paths.forEach((p, i) => {
        const own = [...chain, layer.matchers![i]!];
        for (const [method, on] of Object.entries(layer.route!.methods)) {
          if (on) out.push({ method, label: `${prefix}${p}`, matches: (url) => matchChain(own, url) });
        }
      });
    } else if (Array.isArray(layer.handle?.stack)) {
      const [mount] = rawPaths(layer);
      const everything: Matcher = () => ({ path: '' });
      walk(layer.handle.stack, mount === '/' ? prefix : `${prefix}${mount}`, [...chain, layer.slash ? everything : layer.matchers![0]!], out);
    }
  }
}

export function registeredRoutes(app: Express): RegisteredRoute[] {
  const router = (app as unknown as { router?: { stack?: LayerLike[] } }).router;
  if (!Array.isArray(router?.stack)) throw new Error('app.router.stack not found: is this Express 5?');
  const out: RegisteredRoute[] = [];
  walk(router.stack, '', [], out);
  return out;
}
