import { z } from 'zod';
import { portfolioSchema } from '../domain/ledger';

/** What the shell needs from the server until the sync layer arrives: health and the portfolios. */
export const healthSchema = z.object({ status: z.literal('ok'), version: z.string(), protocol: z.number().int() });
export type Health = z.infer<typeof healthSchema>;

export const portfolioListSchema = z.object({ portfolios: z.array(portfolioSchema) });

export interface ServerApi {
  health(): Promise<Health>;
  portfolios(): Promise<z.infer<typeof portfolioListSchema>['portfolios']>;
}

export function httpServerApi(base = ''): ServerApi {
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return schema.parse(await res.json());
  };
  return {
    health: () => get('/api/health', healthSchema),
    portfolios: async () => (await get('/api/portfolios', portfolioListSchema)).portfolios,
  };
}
