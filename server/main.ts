/**
 * Entry point: `npm start` (or `node server/main.ts` on Node 24). Reads the configuration from the
 * environment (see server/config.ts), starts the server and shuts it down gracefully on SIGINT /
 * SIGTERM: rooms are locked and disposed (finished matches saved, journals flushed), then connections
 * and the database close, within `SHUTDOWN_TIMEOUT_MS` (default 5,000 ms; the process exits with
 * status 1 when that runs out, 0 after a complete shutdown). A second signal during shutdown exits at once.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startServer } from './app.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(config);
} catch (err) {
  console.error(`Gameday failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      server.logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    server.logger.info({ signal }, 'graceful shutdown');
    const timer = setTimeout(() => {
      server.logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms: exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
