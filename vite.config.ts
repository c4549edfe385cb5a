import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const sharedDir = fileURLToPath(new URL('./shared', import.meta.url));

// The client is built into dist/ and served by the express server (server/http/static.ts);
// `npm run dev:client` proxies the API and socket to a server on :8080.
export const sharedAlias = { '@shared': sharedDir };

export default defineConfig({
  root: 'client',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  plugins: [solid()],
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
