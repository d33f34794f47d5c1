/**
 * Database backends the db tests run against: in-memory PGlite always (a migrated template, cloned per
 * test), and real Postgres when TEST_DATABASE_URL is set. Postgres tests share one database with other
 * runs, so tests isolate themselves with unique ids / scenario ids (prefixed per run, deleted at the end)
 * instead of truncating tables.
 */
import { PGlite } from '@electric-sql/pglite';
import { like } from 'drizzle-orm';
import { fromPglite, openDatabase, schema, type Database } from '../../server/db/index.ts';
import { RUN_PREFIX } from './fixtures.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A migrated database for one test; the caller closes it. */
  open(): Promise<Database>;
  /** Releases shared resources (the PGlite template) and deletes this run's rows from Postgres. */
  dispose(): Promise<void>;
}

function pgliteBackend(): Backend {
  let template: Promise<{ client: PGlite; db: Database }> | undefined;
  const getTemplate = () => {
    template ??= (async () => {
      const client = await PGlite.create();
      return { client, db: await fromPglite(client) };
    })();
    return template;
  };
  return {
    name: 'pglite',
    open: async () => fromPglite(await (await getTemplate()).client.clone()),
    dispose: async () => {
      if (template) await (await template).db.close();
      template = undefined;
    },
  };
}

function postgresBackend(url: string): Backend {
  return {
    name: 'postgres',
    open: () => openDatabase({ databaseUrl: url, dataDir: 'memory://' }),
    dispose: async () => {
      const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
      try {
        await database.db.delete(schema.matches).where(like(schema.matches.scenarioId, `${RUN_PREFIX}%`));
      } finally {
        await database.close();
      }
    },
  };
}

/** The backends available in this environment (Postgres only when TEST_DATABASE_URL is set). */
export function availableBackends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pgliteBackend(), postgresBackend(url)] : [pgliteBackend()];
}
