import { resolve } from 'node:path';
import { z } from 'zod';

/** Server settings from the environment, checked once at start so a typo fails loudly, not later. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  /** Days of settled ledger history in a device's snapshot (docs/api.md, the ledger route). */
  LEDGER_HISTORY_DAYS: z.coerce.number().int().min(0).max(3650).default(180),
});

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly ledgerHistoryDays: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`bad environment: ${first?.path.join('.')}: ${first?.message}`);
  }
  return { port: parsed.data.PORT, host: parsed.data.HOST, dataDir: resolve(parsed.data.DATA_DIR), ledgerHistoryDays: parsed.data.LEDGER_HISTORY_DAYS };
}

export function ledgerDbPath(dataDir: string): string {
  return resolve(dataDir, 'ledger.sqlite');
}

/** The relay's room logs: a file of their own (sync-server/relay/sqlite-room-log.ts says why). */
export function roomLogDbPath(dataDir: string): string {
  return resolve(dataDir, 'rooms.sqlite');
}

/** The token signing secret: the server and `dunwell token` must read the same file. */
export function tokenSecretPath(dataDir: string): string {
  return resolve(dataDir, 'token-secret');
}
