import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The server, built for plain `node` into dist/server/ (`npm run build`; `npm start` runs
 * dist/server/main.mjs with no TypeScript loader).
 *
 * Built with Vite's own server (SSR) build rather than tsc, esbuild or tsup: Vite is already the
 * client's build tool and already resolves `@shared/*` and the JSON imports the way the client
 * does; tsc would emit extensionless relative imports and untouched `@shared/*` paths that Node's
 * ESM loader cannot resolve; esbuild and tsup would be one more build dependency (esbuild is only
 * here as tsx's) for the same result. Packages stay outside the bundle and are loaded from
 * node_modules as they are.
 *
 * Every output file lies flat in dist/server/, two folders below the project as server/<area>/ is,
 * so what the sources resolve against `import.meta.url` holds in the build too: the worker threads
 * (`./history-read-worker.mjs` and `./cap-read-worker.mjs` are the built workers themselves, where
 * the sources' .mjs files register tsx first), `../../config/` and `../../public/boundaries/`.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const at = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { dependencies: Record<string, string> };
const builtins = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Fails the build when the built server would load a package that a production install
 * (`npm ci --omit=dev`) leaves out, or a TypeScript loader.
 */
function onlyRuntimePackages(): Plugin {
  return {
    name: 'ioc:only-runtime-packages',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of [...chunk.imports, ...chunk.dynamicImports]) {
          if (id.startsWith('node:') || builtins.has(id) || id.startsWith('.') || bundle[id]) continue;
          const name = packageOf(id);
          if (name === 'tsx') this.error(`${chunk.fileName} imports ${id}: the built server must run without a TypeScript loader`);
          if (!(name in pkg.dependencies)) this.error(`${chunk.fileName} imports ${id}, which is not in package.json's dependencies (a production install would lack it)`);
        }
      }
    },
  };
}

export default defineConfig({
  root,
  publicDir: false,
  resolve: { alias: { '@shared': at('shared') } },
  plugins: [onlyRuntimePackages()],
  build: {
    ssr: true,
    target: 'node20',
    outDir: at('dist/server'),
    emptyOutDir: true,
    // Readable stack traces in the logs without source maps.
    minify: false,
    rollupOptions: {
      input: {
        main: at('server/main.ts'),
        'history-read-worker': at('server/history/history-read-worker.ts'),
        'cap-read-worker': at('server/ingest/cap-read-worker.ts'),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].mjs',
        chunkFileNames: '[name]-[hash].mjs',
      },
    },
  },
});
