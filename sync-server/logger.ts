/**
 * Structured JSON logs (pino) for the server. The level comes from LOG_LEVEL (default `info`); under
 * vitest the default is `silent` so test output shows only test results, and LOG_LEVEL=debug still
 * turns logs on when a test needs them.
 */
import { pino, type Logger } from 'pino';
import { z } from 'zod';

export type { Logger };

const levelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const fallback = env.VITEST === undefined ? 'info' : 'silent';
  const level = levelSchema.safeParse(env.LOG_LEVEL ?? fallback);
  return pino({ name: 'dunwell', level: level.success ? level.data : 'info' });
}
