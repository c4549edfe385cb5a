import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';

const sharedDir = fileURLToPath(new URL('./shared', import.meta.url));

// The client is built into dist/ and served by the express server (server/http/static.ts);
// `npm run dev:client` proxies the API and socket to a server on :8080.
export const sharedAlias = { '@shared': sharedDir };

/**
 * Names the build in its page (`<meta name="ioc-build">`: shared/protocol.ts's BUILD_META_NAME,
 * spelt out because importing it would need the config loaded as a bundle): a hash of every file
 * the build wrote beside the page, so a wall open for weeks can tell that the server now serves
 * another build (the snapshot carries the served page's id) and load it.
 */
function buildId(): Plugin {
  return {
    name: 'ioc:build-id',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const hash = createHash('sha256');
        for (const [name, out] of Object.entries(ctx.bundle ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (name.endsWith('.html')) continue;
          hash.update(name).update('\0').update(out.type === 'chunk' ? out.code : out.source).update('\0');
        }
        return [{ tag: 'meta', attrs: { name: 'ioc-build', content: hash.digest('hex').slice(0, 16) }, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  root: 'client',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  plugins: [solid(), buildId()],
  resolve: { alias: sharedAlias },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { wall: fileURLToPath(new URL('./client/index.html', import.meta.url)) },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/healthz': 'http://localhost:8080',
      '/socket.io': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
