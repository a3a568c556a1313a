/**
 * The composition root (DESIGN.md §5): the one place that knows every layer. It registers the service
 * worker (an update waits for the user: registerType 'prompt'), builds the app layer for the browser
 * (src/browser-app.ts: Dexie, Yjs over the relay, the HTTP API) and hands it to the UI.
 *
 * The manager screens' server reads (aging, KPIs) and the import API need the session's token, which
 * the app layer keeps to itself; until it offers them, `managerPort` below reads the stored session
 * from the device database and calls the API directly. The strategy editor reads the team's
 * strategies and runs the simulation on the app handle (ManagerPort.strategyLab).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { z } from 'zod';
import type { CollectorAppHandle } from './app/collector-app-impl';
import { createBrowserApp } from './browser-app';
import type { PortfolioAging } from './domain/aging';
import { importErrorSchema } from './domain/import/import-error';
import type { PortfolioKpis } from './domain/kpi';
import { createDexieStorage } from './storage/dexie-storage';
import { App } from './ui/App';
import { ManagerRequestError, type ImportReport, type ManagerPort } from './ui/manager/manager-port';
import { StartFailed, Starting } from './ui/shell/StartScreen';
import { updateSourceFrom } from './ui/shell/update-source';
import './ui/styles.css';

const importReportSchema = z.object({
  status: z.enum(['committed', 'rejected', 'dry-run']),
  rows: z.number(),
  skipped: z.number(),
  valid: z.object({ accounts: z.number(), documents: z.number(), payments: z.number() }),
  errorCount: z.number(),
  errors: z.array(importErrorSchema),
  commit: z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number(), closed: z.number() }).optional(),
});
const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
// Aging and KPI answers are the engine's own result types, computed by the same code on the server.
const agingAnswerSchema = z.object({ aging: z.looseObject({ buckets: z.array(z.unknown()), portfolio: z.record(z.string(), z.unknown()) }) });
const kpiAnswerSchema = z.object({ kpis: z.looseObject({ asOf: z.string(), byCurrency: z.record(z.string(), z.unknown()) }) });

function managerPort(app: CollectorAppHandle): ManagerPort {
  let device: ReturnType<typeof createDexieStorage> | undefined;
  const call = async <T,>(path: string, schema: z.ZodType<T>, post?: { body: string }, accept: readonly number[] = [200]): Promise<T> => {
    device ??= createDexieStorage();
    const session = await device.device.session();
    const portfolio = app.portfolioId();
    if (session === null || portfolio === null) throw new ManagerRequestError('Sign in and open a portfolio first.');
    let res: Response;
    try {
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${session.token}` };
      if (post !== undefined) headers['content-type'] = 'application/json';
      res = await fetch(`/api/portfolios/${encodeURIComponent(portfolio)}${path}`, post === undefined ? { headers } : { method: 'POST', headers, body: post.body });
    } catch {
      throw new ManagerRequestError('The server cannot be reached: this needs a network.');
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!accept.includes(res.status)) throw new ManagerRequestError(apiErrorSchema.safeParse(json).data?.error.message ?? `The server answered ${res.status}.`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ManagerRequestError('The server’s answer is not what this app expects.');
    return parsed.data;
  };
  const query = (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return q === '' ? '' : `?${q}`;
  };
  return {
    aging: async (asOf) => (await call(`/aging${query({ asOf })}`, agingAnswerSchema)).aging as unknown as PortfolioAging,
    kpis: async (asOf, from) => (await call(`/kpis${query({ asOf, from })}`, kpiAnswerSchema)).kpis as unknown as PortfolioKpis,
    importCsv: async (r): Promise<ImportReport> => {
      const body = { csv: r.csv, mapping: r.mapping, mode: r.mode, full: r.full, source: 'import wizard', ...(r.asOf === undefined ? {} : { asOf: r.asOf }) };
      // 422 is the report of a rejected file, not a failure of the request.
      return call('/imports', importReportSchema, { body: JSON.stringify(body) }, [200, 422]);
    },
    strategyLab: { strategies: () => app.strategies(), simulate: (strategy, days) => app.simulate(strategy, days) },
  };
}

const updates = updateSourceFrom(registerSW);
const element = document.getElementById('root');
if (element) {
  const root = createRoot(element);
  root.render(<Starting />);
  createBrowserApp().then(
    (app) =>
      root.render(
        <StrictMode>
          <App app={app} updates={updates} manager={managerPort(app)} />
        </StrictMode>,
      ),
    (e: unknown) => root.render(<StartFailed error={e instanceof Error ? e.message : String(e)} />),
  );
}
