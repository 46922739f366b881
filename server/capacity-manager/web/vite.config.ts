// Builds the Capacity Manager page into web/dist/, which the Express server serves
// (server/capacity-manager/web-app.ts), and the program console into web/dist/console/
// (server/console/console-routes.ts): two entries of one build, sharing components, styles and
// the hashed assets in dist/assets. `npm run build:web`; npm install runs it too.
// For work on the page itself: `npx vite --config server/capacity-manager/web/vite.config.ts`
// with `npm start` running; the dev server sends /api and the sign-in paths to it.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.CAPACITY_MANAGER_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The page's CSP allows only its own files: nothing inlined.
    assetsInlineLimit: 0,
    target: 'es2022',
    rollupOptions: {
      input: {
        capacityManager: fileURLToPath(new URL('./index.html', import.meta.url)),
        console: fileURLToPath(new URL('./console/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': backend, '/oauth': backend, '/capacity-manager': backend, '/operator': backend },
  },
});
