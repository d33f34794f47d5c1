/**
 * The server's logger: one pino instance shared by Fastify (request logs) and the rooms (match logs),
 * JSON lines on stdout. Children carry context (`log.child({ roomId })`).
 *
 * May import pino only.
 */
import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * Create the root logger.
 *
 * @param level pino level from {@link Config.logLevel}.
 */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({ level, base: { service: 'gameday' } });
}
