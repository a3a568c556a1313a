/**
 * The CollectorApp facade (collector-app.ts) over the ports (ports.ts): sessions through the server,
 * the open portfolio held in memory (portfolio-model.ts) and kept incremental from team sync, the
 * ledger pull and the clock, commands turned into facts (fact-commands.ts), and snapshots that stay the
 * same object until something they read changed (useSyncExternalStore).
 *
 * How a portfolio opens: the Dexie worklist cache first (phase 'cached': Today paints at once), then
 * the ledger copy (pulled first if the device has none), the team docs, the configuration, and the
 * domain Worklist (phase 'live'). From then on: a fact merged or written → applyFacts (its account is
 * re-scored); a ledger batch pulled → applyLedger; the minute tick → setAsOf; the worklist cache is
 * rewritten in the background.
 */
import { checkContact, CONTACT_METHODS, RULE_TITLES, type ContactMethod } from '../domain/compliance';
import type { CalendarDate } from '../domain/calendar';
import type { Fact, Instant } from '../domain/facts';
import type { Portfolio } from '../domain/ledger';
import type { WorklistEntry } from '../domain/worklist';
import type { AgingConfig } from '../domain/aging';
import { simulate, type SimulationResult } from '../domain/simulation';
import type { Strategy, StrategyConfig } from '../domain/strategy-schema';
import { STRATEGY_PRESETS, strategyConfig as PRESET_SELECTION } from '../domain/strategy-presets';
import type { AccountView, CollectorApp, OpenState, PresenceUser, Session, StorageUse, SyncStatus, WorklistQuery } from './collector-app';
import type { CommandInput, CommandName, CommandResult } from './commands';
import { fetchMissingArchives, storedArchiveFacts } from './fact-archives';
import { planCommand } from './fact-commands';
import { pullLedger, readAccountHistory } from './ledger-pull';
import { paymentsNeededFrom, PortfolioModel } from './portfolio-model';
import type { DeviceStorage, NetworkPort, ServerPort, StorageQuotaPort, StoredSession, SyncRefusal, TeamSync, TeamSyncFactory, TimerPort } from './ports';
import { ServerApiError } from './server-api';
import { resolveTeamConfig, type TeamConfig } from './team-config';
import { compareRows, rowMatches, WORKLIST_ENGINE_VERSION, type WorklistRow } from './worklist-row';

export interface CollectorAppOptions {
  /** How often the worklist moves to the clock's now (default a minute). */
  readonly tickMs?: number;
  /** How often the ledger is pulled while online (default 5 minutes). */
  readonly pullEveryMs?: number;
  /** Refresh the token this long before it expires (default 2 minutes). */
  readonly refreshBeforeMs?: number;
  /** Delay before the worklist cache is rewritten after a full rebuild (default 5 s: after the paint). */
  readonly cacheDelayMs?: number;
  /** Rows read from the cache at cold start, for the team and for me (default 300 each). */
  readonly cachedRows?: number;
}

export interface CollectorAppDeps {
  readonly server: ServerPort;
  readonly storage: DeviceStorage;
  readonly sync: TeamSyncFactory;
  /** The device's clock, as an ISO instant in UTC. */
  readonly clock: () => Instant;
  /** Fact ids: ULIDs (ulidx's monotonicFactory in the composition root). */
  readonly newId: () => string;
  readonly network?: NetworkPort;
  readonly quota?: StorageQuotaPort;
  readonly timers?: TimerPort;
  readonly options?: CollectorAppOptions;
}

/**
 * The facade plus what only the composition root uses: teardown, and the strategy editor's reads (the
 * shape of the UI's `StrategyLab`, so main.tsx can hand this object to `ManagerPort.strategyLab`).
 */
export interface CollectorAppHandle extends CollectorApp {
  /**
   * The team's strategies (the presets, then the team's own from the config doc) and which segment
   * follows which; the presets before the portfolio is live.
   */
  strategies(): { readonly strategies: readonly Strategy[]; readonly config: StrategyConfig };
  /** What `strategy` would do to the open portfolio over the next `days` (domain/simulation.ts). */
  simulate(strategy: Strategy, days: number): Promise<SimulationResult>;
  /** Stops timers and sync, saves what is pending; the app is unusable afterwards. */
  close(): Promise<void>;
  /** Resolves when every write started so far is on the device (tests, and before a reload). */
  flush(): Promise<void>;
}

const realTimers: TimerPort = {
  every(ms, fn) {
    const h = setInterval(fn, ms);
    return () => clearInterval(h);
  },
  after(ms, fn) {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

const alwaysOnline: NetworkPort = { online: () => true, subscribe: () => () => undefined };

interface Open {
  readonly id: string;
  phase: OpenState['phase'];
  error: string | null;
  cachedRows: readonly WorklistRow[];
  cachedAsOf: string | null;
  model: PortfolioModel | undefined;
  team: TeamSync | undefined;
  /** Facts of archived months (read over HTTP): not in any doc, so kept apart for a rebuild. */
  archived: Fact[];
  readonly stops: (() => void)[];
  loadingHistory: Set<string>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function toSession(s: StoredSession): Session {
  return { user: s.user, portfolios: s.portfolios, expiresAt: s.expiresAt };
}

function mayOpen(s: StoredSession, portfolioId: string): boolean {
  return s.portfolios.includes('*') || s.portfolios.includes(portfolioId);
}

const EMPTY_ENTRIES: readonly WorklistEntry[] = Object.freeze([]);
const EMPTY_ROWS: readonly WorklistRow[] = Object.freeze([]);
const NO_PRESENCE: ReadonlyMap<string, readonly PresenceUser[]> = new Map();

export async function createCollectorApp(deps: CollectorAppDeps): Promise<CollectorAppHandle> {
  const { server, storage, sync, clock, newId } = deps;
  const network = deps.network ?? alwaysOnline;
  const timers = deps.timers ?? realTimers;
  const o = deps.options ?? {};
  const tickMs = o.tickMs ?? 60_000;
  const pullEveryMs = o.pullEveryMs ?? 5 * 60_000;
  const refreshBeforeMs = o.refreshBeforeMs ?? 2 * 60_000;
  const cacheDelayMs = o.cacheDelayMs ?? 5_000;
  const cachedRowCount = o.cachedRows ?? 300;

  // Side by side: on a cold start the first of these pays for opening the database, the others queue
  // behind that open instead of each waiting for the one before (the cold-start budget, issue 5).
  const [deviceId, storedSession, storedPortfolios] = await Promise.all([storage.device.deviceId(newId), storage.device.session(), storage.ledger.portfolios()]);
  let session = storedSession;
  let needsSignIn = session !== null && Date.parse(session.expiresAt) <= Date.parse(clock());
  let storageError: string | null = null;
  let portfolioList: readonly Portfolio[] = storedPortfolios;
  let open: Open | undefined;
  let openGeneration = 0;
  let ledgerPulledAt: string | null = null;
  let pulling: Promise<void> | undefined;
  let refreshing: Promise<boolean> | undefined;
  let cancelRefresh: (() => void) | undefined;
  let cancelCache: (() => void) | undefined;
  const pendingCacheRows = new Set<string>();
  let closed = false;

  /**
   * The worklist is computed for the next tick, not for now: the fold ignores facts after asOf, and a
   * call logged a second after the last tick must re-rank its account at once (one account, not a
   * rebuild of the portfolio). A fact later than that (a teammate's clock ahead, a tab whose timers were
   * throttled) moves asOf forward first; one more than ten minutes ahead waits for the clock.
   */
  const horizon = (now: string) => new Date(Date.parse(now) + tickMs).toISOString();
  const FUTURE_SLACK_MS = 10 * 60_000;
  const FIRST_SYNC_WAIT_MS = 10_000;
  function catchUp(model: PortfolioModel, facts: readonly Fact[]): void {
    let latest = '';
    for (const f of facts) if (f.at > latest) latest = f.at;
    if (latest <= model.asOf) return;
    const now = clock();
    if (Date.parse(latest) - Date.parse(now) > FUTURE_SLACK_MS) return;
    model.setAsOf(horizon(latest > now ? latest : now));
  }

  // --- change notification and snapshots -------------------------------------------------------
  // Snapshots are remembered per topic, so a relay acknowledgement (sync) does not hand React a new
  // worklist array (data), and a teammate opening an account (presence) does not re-render Today.
  type Topic = 'data' | 'sync' | 'presence' | 'session';
  const ALL: readonly Topic[] = ['data', 'sync', 'presence', 'session'];
  const versions: Record<Topic, number> = { data: 0, sync: 0, presence: 0, session: 0 };
  const listeners = new Set<() => void>();
  const memo = new Map<string, { stamp: string; value: unknown }>();
  const notify = (...topics: Topic[]) => {
    for (const t of topics.length === 0 ? ALL : topics) versions[t]++;
    if (memo.size > 64) memo.clear();
    for (const l of [...listeners]) l();
  };
  function remember<T>(key: string, topics: readonly Topic[], compute: () => T): T {
    const stamp = topics.map((t) => versions[t]).join(',');
    const hit = memo.get(key);
    if (hit !== undefined && hit.stamp === stamp) return hit.value as T;
    const value = compute();
    memo.set(key, { stamp, value });
    return value;
  }

  storage.onWriteError((e) => {
    storageError = message(e);
    notify('sync');
  });
  const stopNetwork = network.subscribe(() => {
    if (network.online()) {
      void syncNow().catch(() => undefined);
      if (session !== null && refreshDue()) void refresh();
    }
    notify();
  });

  // --- session -----------------------------------------------------------------------------------
  function refreshDue(): boolean {
    return session !== null && Date.parse(session.expiresAt) - refreshBeforeMs <= Date.parse(clock());
  }

  function scheduleRefresh(): void {
    cancelRefresh?.();
    cancelRefresh = undefined;
    if (session === null) return;
    const wait = Math.max(1_000, Date.parse(session.expiresAt) - refreshBeforeMs - Date.parse(clock()));
    cancelRefresh = timers.after(wait, () => void refresh());
  }

  async function adopt(s: StoredSession): Promise<void> {
    session = s;
    needsSignIn = false;
    await storage.device.saveSession(s);
    scheduleRefresh();
    open?.team?.setToken(s.token);
  }

  /** A fresh token while online; false when the server says to sign in again. */
  function refresh(): Promise<boolean> {
    if (refreshing !== undefined) return refreshing;
    const attempt = (async () => {
      const current = session;
      if (current === null) return false;
      try {
        await adopt(await server.refresh(current.token));
        return true;
      } catch (e) {
        if (e instanceof ServerApiError && e.needsSignIn) needsSignIn = true;
        // Offline or the server down: try again a little later; the device keeps working meanwhile.
        else cancelRefresh = timers.after(30_000, () => void refresh());
        return false;
      }
    })().finally(() => {
      if (refreshing === attempt) refreshing = undefined;
      notify();
    });
    refreshing = attempt;
    return attempt;
  }

  async function onRefused(why: SyncRefusal): Promise<void> {
    if (why === 'unauthorized' && session !== null && network.online() && (await refresh()) && session !== null) {
      open?.team?.connect(session.token);
      return;
    }
    needsSignIn = true;
    notify();
  }

  async function loadPortfolioList(): Promise<void> {
    const local = await storage.ledger.portfolios();
    let remote: Portfolio[] = [];
    if (session !== null && network.online())
      try {
        remote = await server.portfolios(session.token);
      } catch (e) {
        if (e instanceof ServerApiError && e.needsSignIn) needsSignIn = true;
      }
    const byId = new Map<string, Portfolio>();
    for (const p of [...local, ...remote]) byId.set(p.id, p);
    const s = session;
    portfolioList = [...byId.values()].filter((p) => s !== null && mayOpen(s, p.id)).sort((a, b) => a.name.localeCompare(b.name));
    notify();
  }

  // --- the open portfolio --------------------------------------------------------------------------
  async function closePortfolio(): Promise<void> {
    const was = open;
    open = undefined;
    cancelCache?.();
    cancelCache = undefined;
    pendingCacheRows.clear();
    if (was === undefined) return;
    for (const stop of was.stops) stop();
    if (was.team !== undefined) {
      was.team.setPresence(null);
      await was.team.close();
    }
    notify();
  }

  function writeCache(full: boolean): void {
    const current = open;
    const model = current?.model;
    if (current === undefined || model === undefined) return;
    if (full) {
      pendingCacheRows.clear();
      const rows = model.allRows();
      storage.worklist
        .replace({ portfolioId: current.id, engineVersion: WORKLIST_ENGINE_VERSION, asOf: model.asOf, count: rows.length }, rows)
        .catch(() => undefined);
      return;
    }
    const rows: WorklistRow[] = [];
    for (const a of pendingCacheRows) {
      const e = model.worklist.entry(a);
      if (e !== undefined) rows.push(model.rowOf(e));
    }
    pendingCacheRows.clear();
    storage.worklist.put(current.id, rows).catch(() => undefined);
  }

  function scheduleFullCache(): void {
    cancelCache?.();
    cancelCache = timers.after(cacheDelayMs, () => {
      cancelCache = undefined;
      writeCache(true);
    });
  }

  /** A promise or receipt older than the payments held: load the payments it needs. */
  function widenPayments(current: Open, facts: readonly Fact[]): void {
    const model = current.model;
    if (model === undefined) return;
    const from = paymentsNeededFrom(facts, model.paymentsFrom);
    if (from >= model.paymentsFrom) return;
    const before = model.paymentsFrom;
    storage.ledger
      .paymentsBetween(current.id, from, before)
      .then((payments) => {
        if (open !== current) return;
        model.addPayments(payments, from);
        notify();
      })
      .catch(() => undefined);
  }

  function applyConfig(current: Open, team: TeamSync): TeamConfig {
    const config = resolveTeamConfig(team.config());
    if (config.rejected.length > 0) {
      const at = clock();
      storage.quarantine
        .put(config.rejected.map((r) => ({ ...r, portfolioId: current.id, room: `${current.id}.config`, at })))
        .catch(() => undefined);
    }
    return config;
  }

  function wire(current: Open, team: TeamSync, model: PortfolioModel): void {
    current.stops.push(
      team.onFacts((added, reset) => {
        if (open !== current) return;
        if (reset) {
          model.resetFacts([...team.facts(), ...current.archived]);
          scheduleFullCache();
        } else {
          catchUp(model, added);
          for (const a of model.applyFacts(added)) pendingCacheRows.add(a);
          widenPayments(current, added);
          // Written now: a re-scored row should survive a reload that follows right away.
          writeCache(false);
        }
        notify('data');
      }),
      team.onConfig(() => {
        if (open !== current) return;
        model.setConfig(applyConfig(current, team));
        scheduleFullCache();
        notify('data');
      }),
      team.onStatus(() => notify('sync')),
      team.onPresence(() => notify('presence')),
      team.onRefused((why) => void onRefused(why)),
      timers.every(tickMs, () => {
        if (open !== current) return;
        const now = clock();
        model.setAsOf(horizon(now));
        team.setNow(now);
        scheduleFullCache();
        notify('data');
      }),
      timers.every(pullEveryMs, () => void pull().catch(() => undefined)),
    );
  }

  async function openPortfolio(id: string): Promise<void> {
    const s = session;
    if (s === null) throw new Error('sign in first');
    if (!mayOpen(s, id)) throw new Error(`your teams do not work the portfolio ${id}`);
    await closePortfolio();
    const generation = ++openGeneration;
    const current: Open = { id, phase: 'opening', error: null, cachedRows: EMPTY_ROWS, cachedAsOf: null, model: undefined, team: undefined, archived: [], stops: [], loadingHistory: new Set() };
    open = current;
    notify();
    const superseded = () => generation !== openGeneration || closed;
    performance.mark('dunwell:open-start');
    try {
      // The cache's meta and its top rows are read together (one round of IndexedDB requests before
      // Today paints); the rows are dropped when the meta says they came from another engine version.
      const [meta, teamRows, mineRows] = await Promise.all([
        storage.worklist.meta(id),
        storage.worklist.top(id, { limit: cachedRowCount }),
        storage.worklist.top(id, { assignee: s.user.id, limit: cachedRowCount }),
      ]);
      if (meta?.engineVersion === WORKLIST_ENGINE_VERSION && !superseded()) {
        const byAccount = new Map<string, WorklistRow>();
        for (const r of [...teamRows, ...mineRows]) byAccount.set(r.accountNumber, r);
        current.cachedRows = [...byAccount.values()].sort(compareRows);
        current.cachedAsOf = meta.asOf;
        current.phase = 'cached';
        performance.mark('dunwell:open-cached');
        notify();
      }
      if ((await storage.ledger.cursor(id)) === undefined) {
        if (!network.online() || needsSignIn) throw new Error('this portfolio is not on this device yet: connect to the server to download it');
        await pullOnce(id);
      }
      // The first open on this device also waits for the archived months (an assignment made months
      // ago decides whose list an account is on); later opens read them from the device at once.
      if ((await storage.archives.periods(id)).length === 0 && network.online() && !needsSignIn)
        await fetchMissingArchives({ server, archives: storage.archives, quarantine: storage.quarantine, now: clock }, s.token, id).catch(() => []);
      const [team, portfolio, accounts, contacts, openDocuments, cursor, archived] = await Promise.all([
        sync.open(id),
        storage.ledger.portfolio(id),
        storage.ledger.accounts(id),
        storage.ledger.contacts(id),
        storage.ledger.openDocuments(id),
        storage.ledger.cursor(id),
        storedArchiveFacts(storage.archives, storage.quarantine, id, clock()),
      ]);
      if (superseded()) {
        await team.close();
        return;
      }
      current.team = team;
      current.archived = archived;
      ledgerPulledAt = cursor?.pulledAt ?? null;
      // A device that never synced this portfolio waits (briefly) for the relay's state, so its first
      // list is whole instead of growing as the month docs arrive.
      const neverSynced = team.status().every((d) => d.lastServerSyncAt === null);
      const token = session?.token;
      if (neverSynced && token !== undefined && !needsSignIn && network.online()) {
        team.connect(token);
        await team.whenSynced(FIRST_SYNC_WAIT_MS);
      }
      const asOf = horizon(clock());
      const paymentsFrom = paymentsNeededFrom([...team.facts(), ...archived], asOf.slice(0, 10) as CalendarDate);
      const payments = await storage.ledger.paymentsFrom(id, paymentsFrom);
      if (superseded()) {
        await team.close();
        return;
      }
      // From reading the facts to wiring their events, nothing awaits: no fact can slip between.
      const facts = [...team.facts(), ...archived];
      const model = new PortfolioModel(
        { portfolio: portfolio ?? { id, name: id }, accounts, contacts, openDocuments, payments, paymentsFrom },
        facts,
        applyConfig(current, team),
        asOf,
      );
      current.model = model;
      current.phase = 'live';
      current.cachedRows = EMPTY_ROWS;
      wire(current, team, model);
      widenPayments(current, facts);
      if (session !== null && !needsSignIn) team.connect(session.token);
      notify();
      scheduleFullCache();
      void pull().catch(() => undefined);
      void fetchArchives(current).catch(() => undefined);
    } catch (e) {
      if (open === current) {
        current.phase = 'failed';
        current.error = message(e);
        notify();
      }
      throw e;
    }
  }

  /** One pull into Dexie (no model: the first download before opening). */
  async function pullOnce(id: string): Promise<void> {
    const s = session;
    if (s === null) return;
    const known = portfolioList.find((p) => p.id === id);
    try {
      const r = await pullLedger({ server, ledger: storage.ledger, now: clock }, s.token, id, known);
      ledgerPulledAt = clock();
      if (open?.id === id && open.model !== undefined) {
        if (r.snapshot) {
          // The server started over: the copy was replaced, so the model is rebuilt from it.
          void openPortfolio(id).catch(() => undefined);
          return;
        }
        open.model.applyLedger(r.delta);
        if (r.delta.accounts.length + r.delta.documents.length + r.delta.payments.length > 0) scheduleFullCache();
      }
    } catch (e) {
      if (e instanceof ServerApiError && e.needsSignIn) needsSignIn = true;
      throw e;
    } finally {
      notify();
    }
  }

  /** Archived months not on the device yet, fetched in the background and folded in as they come. */
  async function fetchArchives(current: Open): Promise<void> {
    const s = session;
    if (s === null || needsSignIn || !network.online()) return;
    try {
      const facts = await fetchMissingArchives({ server, archives: storage.archives, quarantine: storage.quarantine, now: clock }, s.token, current.id);
      const model = current.model;
      if (open !== current || model === undefined || facts.length === 0) return;
      current.archived.push(...facts);
      widenPayments(current, facts);
      if (model.applyFacts(facts).length > 0) scheduleFullCache();
      notify();
    } catch (e) {
      if (e instanceof ServerApiError && e.needsSignIn) {
        needsSignIn = true;
        notify();
      }
    }
  }

  function pull(): Promise<void> {
    const id = open?.id;
    if (id === undefined || session === null || needsSignIn || !network.online()) return Promise.resolve();
    pulling ??= pullOnce(id).finally(() => {
      pulling = undefined;
    });
    return pulling;
  }

  async function syncNow(): Promise<void> {
    if (session !== null && open?.team !== undefined && !needsSignIn) open.team.connect(session.token);
    await pull();
  }

  function loadHistory(current: Open, accountNumber: string): void {
    if (current.loadingHistory.has(accountNumber)) return;
    current.loadingHistory.add(accountNumber);
    // The copy holds the server's history window; older history comes from the server when it is reachable.
    const token = session !== null && !needsSignIn && network.online() ? session.token : undefined;
    readAccountHistory({ server, ledger: storage.ledger }, token, current.id, accountNumber)
      .then(({ documents, payments }) => {
        current.loadingHistory.delete(accountNumber);
        if (open !== current || current.model === undefined) return;
        current.model.setHistory(accountNumber, documents, payments);
        notify('data');
      })
      .catch(() => current.loadingHistory.delete(accountNumber));
  }

  // --- reads -----------------------------------------------------------------------------------------
  function presenceMap(): ReadonlyMap<string, readonly PresenceUser[]> {
    const team = open?.team;
    const me = session?.user.id;
    if (team === undefined) return NO_PRESENCE;
    return remember('presence', ['presence', 'session'], () => {
      const out = new Map<string, PresenceUser[]>();
      for (const p of team.peers()) {
        if (p.accountNumber === null || p.userId === me) continue;
        const list = out.get(p.accountNumber) ?? [];
        if (!list.some((u) => u.userId === p.userId)) list.push({ userId: p.userId, name: p.name, since: p.since });
        out.set(p.accountNumber, list);
      }
      return out;
    });
  }

  function syncStatus(): SyncStatus {
    return remember('sync', ['sync', 'data'], () => {
      const docs = open?.team?.status() ?? [];
      const live = docs.filter((d) => d.live);
      let pendingChanges = 0;
      let pendingSince: string | null = null;
      for (const d of docs) {
        pendingChanges += d.pendingChanges;
        if (d.pendingSince !== null && (pendingSince === null || d.pendingSince < pendingSince)) pendingSince = d.pendingSince;
      }
      // Everything was confirmed at least as of the oldest doc's confirmation.
      let lastServerSyncAt: string | null = null;
      for (const d of live) {
        if (d.lastServerSyncAt === null) {
          lastServerSyncAt = null;
          break;
        }
        if (lastServerSyncAt === null || d.lastServerSyncAt < lastServerSyncAt) lastServerSyncAt = d.lastServerSyncAt;
      }
      return {
        online: network.online(),
        connected: live.length > 0 && live.every((d) => d.connected),
        lastServerSyncAt,
        pendingChanges,
        pendingSince,
        ledgerPulledAt,
        needsSignIn,
        storageError,
        quarantined: open?.team?.quarantined() ?? 0,
        docs: docs.map((d) => ({ room: d.room, connected: d.connected, lastServerSyncAt: d.lastServerSyncAt, pendingChanges: d.pendingChanges })),
      };
    });
  }

  function complianceWarnings(model: PortfolioModel, fact: Fact): string[] {
    if (fact.type !== 'activity') return [];
    const method = (CONTACT_METHODS as readonly string[]).includes(fact.channel) ? (fact.channel as ContactMethod) : undefined;
    const account = model.account(fact.accountNumber);
    const entry = model.worklist.entry(fact.accountNumber);
    if (method === undefined || account === undefined || entry === undefined) return [];
    const openDocumentNumbers = model.openDocumentsOf(fact.accountNumber).filter((d) => d.kind === 'invoice' && d.open > 0).map((d) => d.number);
    const verdict = checkContact(
      { channel: method, documentNumbers: fact.documentNumbers, openDocumentNumbers, at: fact.at, ...(fact.contactId === undefined ? {} : { contactId: fact.contactId }) },
      { account, contacts: model.contactsOf(fact.accountNumber), state: entry.state, pack: model.teamConfig.worklist.compliance },
    );
    return verdict.allowed ? [] : [`${RULE_TITLES[verdict.rule]}: ${verdict.reason}`];
  }

  async function dispatch<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>> {
    const fail = (code: 'invalid' | 'forbidden' | 'not_found' | 'storage', text: string, issues?: readonly { path: string; message: string }[]) =>
      ({ ok: false, command: name, error: issues === undefined ? { code, message: text } : { code, message: text, issues } }) as CommandResult<K>;
    const s = session;
    if (s === null) return fail('forbidden', 'sign in first');
    const current = open;
    const model = current?.model;
    const team = current?.team;
    if (current === undefined || model === undefined || team === undefined) return fail('not_found', 'open a portfolio first');
    const plan = planCommand(name, input, {
      user: s.user,
      deviceId,
      portfolioId: current.id,
      now: clock(),
      newId,
      hasAccount: (a) => model.hasAccount(a),
      factsOf: (a) => model.factsOf(a),
      hasStrategy: (id) => model.teamConfig.strategies.has(id),
    });
    if (!plan.ok) return { ok: false, command: name, error: plan.error };
    const warnings = plan.facts.flatMap((f) => complianceWarnings(model, f));
    try {
      if (plan.config !== undefined) {
        if (plan.config.map === 'strategies') await team.setStrategy(plan.config.key, plan.config.value);
        else await team.setSetting(plan.config.key, plan.config.value);
      }
      if (name === 'strategy/assign-segment') {
        const { segment, strategyId } = input as CommandInput<'strategy/assign-segment'>;
        if (strategyId !== null && !model.teamConfig.strategies.has(strategyId)) return fail('not_found', `no strategy ${strategyId}`);
        const selection = model.teamConfig.selection;
        const bySegment = Object.fromEntries(Object.entries(selection.bySegment).filter(([s]) => s !== segment));
        if (strategyId !== null) bySegment[segment] = strategyId;
        await team.setSetting('strategySelection', { default: selection.default, bySegment });
      }
      if (plan.facts.length > 0) await team.writeFacts(plan.facts);
    } catch (e) {
      storageError = message(e);
      notify();
      return fail('storage', `not saved on this device: ${message(e)}`);
    }
    return { ok: true, command: name, factIds: plan.facts.map((f) => f.id), warnings };
  }

  const app: CollectorAppHandle = {
    session: () => (session === null ? null : remember('session', ['session'], () => toSession(session as StoredSession))),

    async signIn(user, password) {
      const s = await server.signIn(user, password);
      const previous = session;
      if (previous !== null && previous.user.id !== s.user.id) await closePortfolio();
      await adopt(s);
      // After sign-in (DESIGN.md §8): ask the browser to keep this origin's storage.
      await deps.quota?.persist().catch(() => false);
      if (open?.team !== undefined) open.team.connect(s.token);
      notify();
      void loadPortfolioList();
      return toSession(s);
    },

    async signOut() {
      await closePortfolio();
      cancelRefresh?.();
      cancelRefresh = undefined;
      session = null;
      needsSignIn = false;
      portfolioList = [];
      await storage.device.saveSession(null);
      notify();
    },

    portfolios: () => portfolioList,
    portfolioId: () => open?.id ?? null,
    openPortfolio,
    openState: () => remember('open', ['data'], () => ({ phase: open?.phase ?? 'closed', portfolioId: open?.id ?? null, error: open?.error ?? null })),
    asOf: () => open?.model?.asOf ?? open?.cachedAsOf ?? remember('clock', ['data'], clock),
    agingConfig: (): AgingConfig | undefined => open?.model?.teamConfig.worklist.aging,

    worklist(query: WorklistQuery) {
      const model = open?.model;
      if (model === undefined) return EMPTY_ENTRIES;
      return remember(`worklist ${JSON.stringify(query)}`, ['data'], () => model.query(query));
    },

    worklistRows(query: WorklistQuery) {
      const current = open;
      if (current === undefined) return EMPTY_ROWS;
      const model = current.model;
      return remember(`rows ${JSON.stringify(query)}`, ['data'], () => {
        if (model !== undefined) return model.query(query).map((e) => model.rowOf(e));
        const q = query.search?.trim().toLowerCase() ?? '';
        const asOf = current.cachedAsOf ?? clock();
        const rows = current.cachedRows.filter(
          (r) => rowMatches(r, query, asOf) && (q === '' || r.accountNumber.toLowerCase().includes(q) || r.accountName.toLowerCase().includes(q)),
        );
        return query.limit === undefined ? rows : rows.slice(0, query.limit);
      });
    },

    account(accountNumber: string): AccountView | undefined {
      const current = open;
      const model = current?.model;
      if (current === undefined || model === undefined) return undefined;
      if (!model.hasHistory(accountNumber) && model.hasAccount(accountNumber)) loadHistory(current, accountNumber);
      return remember(`account ${accountNumber}`, ['data', 'presence'], () => model.accountView(accountNumber, presenceMap().get(accountNumber) ?? []));
    },

    syncStatus,
    presence: presenceMap,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispatch,

    setWorkingOn(accountNumber) {
      const s = session;
      const team = open?.team;
      if (s === null || team === undefined) return;
      team.setPresence(accountNumber === null ? null : { userId: s.user.id, name: s.user.name, accountNumber, since: clock() });
    },

    syncNow,

    strategies() {
      const model = open?.model;
      if (model === undefined) return remember('strategies none', ['data'], () => ({ strategies: [...STRATEGY_PRESETS.values()], config: PRESET_SELECTION }));
      return remember('strategies', ['data'], () => ({ strategies: [...model.teamConfig.strategies.values()], config: model.teamConfig.selection }));
    },

    async simulate(strategy, days) {
      const model = open?.model;
      if (model === undefined) throw new Error('open a portfolio first');
      // Yield once so the caller's "simulating…" paints before the engine runs (seconds on a big book).
      await Promise.resolve();
      return simulate({ ledger: model.ledger(), facts: model.allFacts(), config: model.teamConfig.worklist, start: model.asOf, days, strategy });
    },

    async storageUse(): Promise<StorageUse> {
      const q = deps.quota;
      if (q === undefined) return { usageBytes: null, quotaBytes: null, persisted: false };
      const [estimate, persisted] = await Promise.all([q.estimate(), q.persisted()]);
      return { usageBytes: estimate.usage, quotaBytes: estimate.quota, persisted };
    },

    async exportData() {
      const current = open;
      const id = current?.id;
      const body = {
        format: 'dunwell-device-export',
        version: 1,
        exportedAt: clock(),
        deviceId,
        user: session?.user ?? null,
        portfolioId: id ?? null,
        syncStatus: syncStatus(),
        ledger: id === undefined ? null : ((await storage.ledger.ledger(id)) ?? null),
        ledgerCursor: id === undefined ? null : ((await storage.ledger.cursor(id)) ?? null),
        facts: current?.team?.facts() ?? [],
        quarantine: id === undefined ? [] : await storage.quarantine.list(id),
      };
      return new Blob([JSON.stringify(body)], { type: 'application/json' });
    },

    async flush() {
      await open?.team?.flush();
      await pulling?.catch(() => undefined);
    },

    async close() {
      closed = true;
      stopNetwork();
      cancelRefresh?.();
      await closePortfolio();
      listeners.clear();
    },
  };

  if (session !== null) {
    scheduleRefresh();
    if (network.online() && refreshDue()) void refresh();
    void loadPortfolioList();
  }
  return app;
}
