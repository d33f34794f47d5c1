// drizzle-kit configuration: `npx drizzle-kit generate --name <name>` writes SQL migrations to ./migrations
// from server/db/schema.ts. The server applies them at start-up (server/db/index.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './migrations',
});
