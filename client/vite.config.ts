/**
 * Vite 8 build of the Phaser client: `npm run build` (= `vite build --config client/vite.config.ts`)
 * writes client/dist, which the server serves at `/`. Two pages: the game (index.html) and the
 * leaderboard (leaderboard.html).
 *
 * Dev: run the server (`npm run dev`, port 2567), then `npx vite --config client/vite.config.ts`;
 * the dev server proxies the HTTP API, matchmaking and room WebSockets to http://localhost:2567
 * (override with GAMEDAY_SERVER).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.GAMEDAY_SERVER ?? 'http://localhost:2567';

export default defineConfig({
  root,
  // Relative asset URLs: the pages also work when the server mounts them under a sub-path.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Phaser alone is ~1.2 MB minified: warn only beyond that.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        leaderboard: fileURLToPath(new URL('leaderboard.html', import.meta.url)),
        replay: fileURLToPath(new URL('replay.html', import.meta.url)),
        trainer: fileURLToPath(new URL('trainer.html', import.meta.url)),
        profile: fileURLToPath(new URL('profile.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': target,
      '/healthz': target,
      '/matchmake': target,
      // Room WebSockets: `/<processId>/<roomId>?sessionId=...` (Colyseus SDK 0.18 buildEndpoint); the
      // matcher sees the query string too. Vite's own HMR socket (`/?token=`) does not match.
      '^/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+(\\?.*)?$': { target, ws: true },
    },
  },
});
