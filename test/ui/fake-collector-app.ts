/**
 * An in-memory CollectorApp (and ManagerPort) over the real engine, for the UI's tests and its
 * browser harness: a synthetic ledger and facts, the domain's incremental Worklist, commands that
 * write facts through the same zod schemas the app layer uses. No Dexie, no Yjs, no server: it stands
 * in for the app layer so the screens can be exercised on their own.
 */
// The fake answers at once; `async` keeps the interface's promise shapes.
/* eslint-disable @typescript-eslint/require-await */
import type { AccountView, CollectorApp, OpenState, PresenceUser, Session, SyncStatus, WorklistQuery } from '../../src/app/collector-app';
import { worklistRowOf } from '../../src/app/worklist-row';
import type { CommandInput, CommandName, CommandResult } from '../../src/app/commands';
import { planCommand } from '../../src/app/fact-commands';
import { defaultDueDateAging } from '../../src/domain/aging';
import type { CalendarDate } from '../../src/domain/calendar';
import { REGULATION_F } from '../../src/domain/compliance';
import type { Fact } from '../../src/domain/facts';
import { resolveMapping } from '../../src/domain/import/mapping';
import { analyzePortfolio } from '../../src/domain/kpi';
import type { Ledger } from '../../src/domain/ledger';
import { simulate } from '../../src/domain/simulation';
import type { Strategy } from '../../src/domain/strategy';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { ulidOf } from '../../src/domain/ulid';
import { Worklist, type WorklistConfig } from '../../src/domain/worklist';
import type { ImportReport, ImportRequest, ManagerPort } from '../../src/ui/manager/manager-port';
import { parseInvoiceCsv } from '../../sync-server/import/csv';

export interface FakeOptions {
  readonly ledger: Ledger;
  readonly facts: readonly Fact[];
  readonly asOf: string;
  readonly user?: Session['user'];
  readonly password?: string;
  readonly signedIn?: boolean;
}

export interface FakeApp extends CollectorApp {
  setSync(status: Partial<SyncStatus>): void;
  setPresence(accountNumber: string, users: readonly PresenceUser[]): void;
  readonly dispatched: { name: CommandName; input: unknown }[];
  workingOn(): string | null;
  manager: ManagerPort;
}

export function createFakeApp(o: FakeOptions): FakeApp {
  const user = o.user ?? { id: 'u-ana', name: 'Ana', role: 'collector' as const };
  const password = o.password ?? 'secret';
  const config: WorklistConfig = { strategies: new Map(STRATEGY_PRESETS), selection: strategyConfig, compliance: REGULATION_F, aging: defaultDueDateAging };
  const strategies = new Map<string, Strategy>(STRATEGY_PRESETS);
  const facts: Fact[] = [...o.facts];
  let worklist: Worklist | null = null;
  const getWorklist = () => (worklist ??= new Worklist(o.ledger, facts, config, o.asOf));
  let session: Session | null = o.signedIn === true ? { user, portfolios: [o.ledger.portfolio.id], expiresAt: '2099-01-01T00:00:00.000Z' } : null;
  let portfolioId: string | null = session === null ? null : o.ledger.portfolio.id;
  let sync: SyncStatus = { online: true, connected: true, lastServerSyncAt: o.asOf, pendingChanges: 0, pendingSince: null, ledgerPulledAt: o.asOf, needsSignIn: false, storageError: null, quarantined: 0, docs: [] };
  let presence = new Map<string, readonly PresenceUser[]>();
  let working: string | null = null;
  let version = 0;
  let counter = 0;
  const listeners = new Set<() => void>();
  const notify = () => {
    version++;
    for (const l of listeners) l();
  };
  const rows = new WeakMap<object, ReturnType<typeof worklistRowOf>>();
  const rowOf = (e: Parameters<typeof worklistRowOf>[1]) => {
    let r = rows.get(e);
    if (r === undefined) rows.set(e, (r = worklistRowOf(o.ledger.portfolio.id, e, { documents: o.ledger.documents.filter((d) => d.accountNumber === e.accountNumber), asOfDate: o.asOf.slice(0, 10) as CalendarDate })));
    return r;
  };
  const searchIndex = new Map<string, string>();
  for (const a of o.ledger.accounts) searchIndex.set(a.number, `${a.name}\u0000${a.number}`.toLowerCase());
  for (const d of o.ledger.documents) searchIndex.set(d.accountNumber, `${searchIndex.get(d.accountNumber) ?? ''}\u0000${d.number.toLowerCase()}`);

  // Snapshots stay the same object until something changed (the contract of collector-app.ts).
  const cache = new Map<string, { version: number; value: unknown }>();
  function memo<T>(key: string, make: () => T): T {
    const hit = cache.get(key);
    if (hit !== undefined && hit.version === version) return hit.value as T;
    const value = make();
    cache.set(key, { version, value });
    return value;
  }

  const byAccount = <T extends { accountNumber: string }>(rows: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      let l = m.get(r.accountNumber);
      if (l === undefined) m.set(r.accountNumber, (l = []));
      l.push(r);
    }
    return m;
  };
  const docs = byAccount(o.ledger.documents);
  const payments = byAccount(o.ledger.payments);
  const contacts = byAccount(o.ledger.contacts);
  const accounts = new Map(o.ledger.accounts.map((a) => [a.number, a]));

  /** Just before asOf: the worklist is computed at asOf and does not see facts from its future. */
  const factTime = () => new Date(Date.parse(o.asOf) - 60_000 + ++counter).toISOString();

  const app: FakeApp = {
    dispatched: [],
    session: () => session,
    async signIn(id, pw) {
      if (pw !== password) throw new Error('Wrong user or password');
      session = { user: { ...user, id }, portfolios: [o.ledger.portfolio.id], expiresAt: '2099-01-01T00:00:00.000Z' };
      notify();
      return session;
    },
    async signOut() {
      session = null;
      portfolioId = null;
      notify();
    },
    portfolios: () => memo('portfolios', () => [o.ledger.portfolio]),
    portfolioId: () => portfolioId,
    async openPortfolio(id) {
      portfolioId = id;
      notify();
    },
    asOf: () => o.asOf,
    openState: () => memo('open', (): OpenState => ({ phase: portfolioId === null ? 'closed' : 'live', portfolioId, error: null })),
    worklistRows: (query: WorklistQuery) => {
      const entries = app.worklist(query);
      return memo(`rows:${JSON.stringify(query)}`, () => entries.map((e) => rowOf(e)));
    },
    agingConfig: () => defaultDueDateAging,
    worklist: (query: WorklistQuery) =>
      memo(`wl:${JSON.stringify(query)}`, () => {
        const rows = getWorklist().query(query);
        const q = query.search?.toLowerCase();
        return q === undefined ? rows : rows.filter((e) => searchIndex.get(e.accountNumber)?.includes(q) === true);
      }),
    account: (n) =>
      memo(`acct:${n}`, (): AccountView | undefined => {
        const account = accounts.get(n);
        const entry = getWorklist().entry(n);
        if (account === undefined || entry === undefined) return undefined;
        return {
          account,
          contacts: contacts.get(n) ?? [],
          documents: [...(docs.get(n) ?? [])].sort((a, b) => (a.issueDate < b.issueDate ? 1 : -1)),
          payments: payments.get(n) ?? [],
          state: entry.state,
          entry,
          facts: facts.filter((f) => f.accountNumber === n).sort((a, b) => (a.at < b.at ? 1 : -1)),
          presence: presence.get(n) ?? [],
          complete: true,
        };
      }),
    syncStatus: () => sync,
    presence: () => presence,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispatch<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>> {
      app.dispatched.push({ name, input });
      const me = session?.user ?? user;
      // The app layer's own planning: the same validation, role checks and facts as the real app.
      const at = factTime();
      const plan = planCommand(name, input, {
        user: me,
        deviceId: 'test-device',
        portfolioId: o.ledger.portfolio.id,
        now: at,
        newId: () => ulidOf(Date.parse(at), counter++),
        hasAccount: (n) => accounts.has(n),
        factsOf: (n) => facts.filter((f) => f.accountNumber === n),
        hasStrategy: (id) => strategies.has(id),
      });
      if (!plan.ok) return { ok: false, command: name, error: plan.error };
      if (plan.config?.map === 'strategies') strategies.set(plan.config.key, plan.config.value as Strategy);
      facts.push(...plan.facts);
      getWorklist().applyFacts(plan.facts);
      sync = { ...sync, pendingChanges: sync.pendingChanges + plan.facts.length, pendingSince: sync.pendingSince ?? o.asOf };
      notify();
      return { ok: true, command: name, factIds: plan.facts.map((f) => f.id), warnings: [] };
    },
    setWorkingOn(n) {
      working = n;
    },
    workingOn: () => working,
    syncNow: async () => {
      sync = { ...sync, lastServerSyncAt: new Date().toISOString() };
      notify();
    },
    storageUse: async () => ({ usageBytes: 12_345_678, quotaBytes: 2_000_000_000, persisted: true }),
    exportData: async () => new Blob([JSON.stringify({ facts })], { type: 'application/json' }),
    setSync(status) {
      sync = { ...sync, ...status };
      notify();
    },
    setPresence(n, users) {
      presence = new Map(presence);
      presence.set(n, users);
      notify();
    },
    manager: {
      aging: async (asOf?: CalendarDate) => analyzePortfolio(o.ledger, asOf ?? (o.asOf.slice(0, 10) as CalendarDate)).aging,
      kpis: async (asOf?: CalendarDate) => analyzePortfolio(o.ledger, asOf ?? (o.asOf.slice(0, 10) as CalendarDate)).kpis,
      importCsv: async (r: ImportRequest): Promise<ImportReport> => {
        const m = resolveMapping(r.mapping);
        if (!m.ok) throw new Error(m.error);
        const parsed = parseInvoiceCsv(r.csv, m.mapping, { portfolioId: o.ledger.portfolio.id });
        const base = {
          rows: parsed.rows,
          skipped: parsed.skipped,
          valid: { accounts: parsed.accounts.length, documents: parsed.documents.length, payments: parsed.payments.length },
          errorCount: parsed.errorCount ?? parsed.errors.length,
          errors: parsed.errors,
        };
        if (r.mode === 'dry-run') return { status: 'dry-run', ...base };
        if (base.errorCount > 0) return { status: 'rejected', ...base };
        return { status: 'committed', ...base, commit: { inserted: parsed.documents.length, updated: 0, unchanged: 0, closed: 0 } };
      },
      strategyLab: {
        strategies: () => ({ strategies: [...strategies.values()], config: strategyConfig }),
        simulate: async (strategy: Strategy, days: number) => simulate({ ledger: o.ledger, facts, config, start: o.asOf, days, strategy }),
      },
    },
  };
  return app;
}
