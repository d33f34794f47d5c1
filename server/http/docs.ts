/**
 * OpenAPI description of the HTTP API (`@fastify/swagger`, built from the route schemas) and its
 * browsable UI at `/docs` (`@fastify/swagger-ui`; the JSON document is at `/docs/json`). The room
 * protocol (WebSocket) is described in server/rooms/README.md, not here.
 *
 * May import fastify plugins.
 */
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';

/** Register the OpenAPI generator and UI. Call before registering the routes to document. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gameday API',
        description:
          'Finished matches, the leaderboard, scenarios and open rooms of a Gameday server. ' +
          'Matches themselves are played over the Colyseus room protocol (room name `match`) on the same port.',
        version: '0.1.0',
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness probes' },
        { name: 'scenarios', description: 'Built-in scenarios' },
        { name: 'matches', description: 'The archive of finished matches' },
        { name: 'rooms', description: 'Matches being played now' },
        { name: 'accounts', description: 'Registration, login and guest sessions (signed tokens), profiles' },
      ],
    },
  });
  // @fastify/swagger-ui redirects /docs/static/index.html to /docs/ by a regex anchored at the end of
  // the URL, so with a query string it redirects to itself forever (found by test/server/properties.test.ts).
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/docs/static/index.html?')) await reply.redirect('/docs/');
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
