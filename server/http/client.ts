/**
 * The Phaser client's built files (`CLIENT_DIST`, produced by `npm run build`) served at `/`. When
 * the client has not been built, `/` answers 503 with a page that says how to build it, instead of
 * a bare 404.
 *
 * May import fastify, @fastify/static, node:fs, node:path.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The page served at `/` while the client is not built. */
export const CLIENT_NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gameday: client not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The game client is not built yet</h1>
<p>The server is running (the API is at <a href="/docs">/docs</a>), but there is no client to serve.</p>
<p>Build it with <code>npm run build</code> (Vite writes <code>client/dist</code>), then reload this page.
<code>npm start</code> builds it for you.</p>
</body></html>
`;

/**
 * Serve `clientDist` at `/` when it holds an `index.html`; else register the 503 page at `/`.
 *
 * @returns whether the client was found.
 */
export async function registerClient(app: FastifyInstance, clientDist: string): Promise<boolean> {
  const root = resolve(clientDist);
  if (existsSync(join(root, 'index.html'))) {
    await app.register(fastifyStatic, { root, prefix: '/', index: 'index.html' });
    return true;
  }
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/html; charset=utf-8').send(CLIENT_NOT_BUILT_HTML));
  return false;
}
