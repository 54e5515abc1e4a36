import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console is served by the gateway at /admin (same origin as the API, so no CORS), from the
 * files this build writes to dist/admin-console. `npm run build` runs it; so do `npm run up` and
 * `npm test` (the browser tests drive the built console).
 */
export default defineConfig({
  root: here('.'),
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: here('../../dist/admin-console'),
    emptyOutDir: true,
    // Vite's default chunk size warning (500 kB) stays on: the charts (recharts) are lazy chunks,
    // and the first load is under 300 kB (src/bundle.test.ts).
  },
  // `npx vite` in this folder: the console with hot reload, talking to a gateway on :3000.
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: [here('src/test-setup.ts')],
  },
});
