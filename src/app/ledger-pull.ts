/**
 * The ledger pull (DESIGN.md §2.1): the device's read-only copy follows the server with
 * `GET /api/portfolios/:id/ledger?since=<cursor>` (docs/api.md, docs/sync-client.md): a snapshot the
 * first time (since 0), then the rows written after the cursor, both in pages.
 *
 * - **Scope.** A device asks for `scope=device` by default: every account and contact, every open
 *   document, and the settled history of the server's window (documents closed or paid, payments
 *   received, in the last 180 days by default). Older history is read per account when it opens
 *   (`readAccountHistory`). Deltas carry every row written after the cursor, so a document that closes
 *   later arrives as a change whatever the scope.
 * - **Pages.** Each page is parsed with ledgerPageSchema by the server adapter and written in its own
 *   transaction (LedgerRepository.applyPull): a page of a snapshot stores its progress with it, so an
 *   interrupted first pull resumes at the page after the last one stored; the copy's cursor moves to
 *   the snapshot's cursor with the last page only. A delta's pages are written with the cursor left
 *   where it was until the last one, so an interrupted delta is asked again from its `since` (deltas
 *   are small; the caller then gets every row of it).
 * - **Consistency.** Every page of one pull carries the cursor taken when its first page was read; a
 *   row written while the pages are read has a later seq, so the next delta delivers it (again, if a
 *   later page already held it: rows are upserted by key).
 * - A server whose cursor went backwards (restored from a backup, or another server) cannot be followed
 *   by deltas: the copy is cleared and pulled again. A snapshot under way whose cursor the server no
 *   longer knows (`bad_cursor`) or whose continuation key it refuses (`bad_after`) starts over.
 *
 * Nothing here but the ports: the same function runs in the browser (httpServer over fetch, Dexie) and
 * in Node (fake-indexeddb) unchanged.
 */
import type { Instant } from '../domain/facts';
import type { LedgerDelta, LedgerDocument, Payment, Portfolio } from '../domain/ledger';
import { documentKey } from '../domain/ledger';
import { LEDGER_PAGE_DEFAULT_LIMIT, type LedgerScope } from '../domain/ledger-page';
import type { LedgerPullProgress, LedgerRepository, ServerPort } from './ports';

export interface PullResult {
  readonly portfolioId: string;
  /**
   * True when this pull was a snapshot (first pull, resumed or not, or a reset): the copy must be read
   * again whole, and `delta` holds no rows (a snapshot is not kept in memory; `rows` counts them).
   */
  readonly snapshot: boolean;
  /** A delta: every row it brought (what changed). A snapshot: no rows, its `since` and `cursor`. */
  readonly delta: LedgerDelta;
  readonly cursor: number;
  /** Rows written by this pull, over every page. */
  readonly rows: number;
  /** Pages asked for and written by this pull. */
  readonly pages: number;
  /** True when a snapshot interrupted earlier was taken up at its next page. */
  readonly resumed: boolean;
}

/** Reported after each page is stored (a progress bar; the benchmark's per-page figure). */
export interface PageProgress {
  readonly portfolioId: string;
  readonly snapshot: boolean;
  /** 1 for the first page this call asked for. */
  readonly page: number;
  readonly rows: number;
  /** Rows stored so far by this call. */
  readonly total: number;
  /** False on the last page. */
  readonly more: boolean;
}

export interface PullDeps {
  readonly server: Pick<ServerPort, 'ledger'>;
  readonly ledger: LedgerRepository;
  readonly now: () => Instant;
  /** `device` unless told: open items and the server's history window. */
  readonly scope?: LedgerScope;
  /** Rows per page (default LEDGER_PAGE_DEFAULT_LIMIT, 5,000). */
  readonly pageSize?: number;
  readonly onPage?: (progress: PageProgress) => void;
}


function rowsOf(d: LedgerDelta): number {
  return d.accounts.length + d.contacts.length + d.documents.length + d.payments.length;
}

/** The page's own rows, as the LedgerDelta the repository writes (paging fields dropped). */
function deltaOf(page: LedgerDelta, cursor: number): LedgerDelta {
  return { portfolioId: page.portfolioId, since: page.since, cursor, accounts: page.accounts, contacts: page.contacts, documents: page.documents, payments: page.payments };
}

function isRestart(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (e as { status?: unknown } | null)?.status === 400 && (code === 'bad_cursor' || code === 'bad_after');
}

export async function pullLedger(deps: PullDeps, token: string, portfolioId: string, portfolio?: Portfolio): Promise<PullResult> {
  const pending = await deps.ledger.pullProgress(portfolioId);
  if (pending !== undefined) {
    try {
      return await snapshot(deps, token, portfolioId, portfolio, pending);
    } catch (e) {
      if (!isRestart(e)) throw e;
      await deps.ledger.clear(portfolioId);
      return snapshot(deps, token, portfolioId, portfolio);
    }
  }
  const stored = await deps.ledger.cursor(portfolioId);
  if (stored === undefined) return snapshot(deps, token, portfolioId, portfolio);
  return delta(deps, token, portfolioId, portfolio, stored.cursor);
}

function check(portfolioId: string, got: string): void {
  if (got !== portfolioId) throw new RangeError(`asked for the ledger of ${portfolioId}, got ${got}'s`);
}

async function snapshot(deps: PullDeps, token: string, portfolioId: string, portfolio: Portfolio | undefined, from?: LedgerPullProgress): Promise<PullResult> {
  const scope = from?.scope ?? deps.scope ?? 'device';
  const limit = deps.pageSize ?? LEDGER_PAGE_DEFAULT_LIMIT;
  let after = from?.after;
  let cursor = from?.cursor;
  let pages = 0;
  let rows = 0;
  for (;;) {
    const page = await deps.server.ledger(token, portfolioId, 0, {
      scope,
      limit,
      ...(after === undefined ? {} : { after }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    check(portfolioId, page.portfolioId);
    if (cursor !== undefined && page.cursor !== cursor) throw new RangeError(`a page of the snapshot at cursor ${cursor} came with cursor ${page.cursor}`);
    cursor = page.cursor;
    const next = page.next ?? null;
    if (next !== null && next === after) throw new RangeError(`the server answered the page after ${after} with the same continuation`);
    const progress: LedgerPullProgress | undefined = next === null ? undefined : { since: 0, cursor, after: next, scope };
    await deps.ledger.applyPull(deltaOf(page, cursor), deps.now(), portfolio, progress);
    pages++;
    rows += rowsOf(page);
    deps.onPage?.({ portfolioId, snapshot: true, page: pages, rows: rowsOf(page), total: rows, more: next !== null });
    if (next === null) break;
    after = next;
  }
  return { portfolioId, snapshot: true, delta: { portfolioId, since: 0, cursor, accounts: [], contacts: [], documents: [], payments: [] }, cursor, rows, pages, resumed: from !== undefined };
}

async function delta(deps: PullDeps, token: string, portfolioId: string, portfolio: Portfolio | undefined, since: number): Promise<PullResult> {
  const scope = deps.scope ?? 'device';
  const limit = deps.pageSize ?? LEDGER_PAGE_DEFAULT_LIMIT;
  const all: Pick<LedgerDelta, 'accounts' | 'contacts' | 'documents' | 'payments'> = { accounts: [], contacts: [], documents: [], payments: [] };
  let after: string | undefined;
  let cursor: number | undefined;
  let pages = 0;
  let rows = 0;
  for (;;) {
    const page = await deps.server.ledger(token, portfolioId, since, {
      scope,
      limit,
      ...(after === undefined ? {} : { after }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    check(portfolioId, page.portfolioId);
    if (cursor === undefined && page.cursor < since) {
      // The server is behind the device: its deltas cannot be followed.
      await deps.ledger.clear(portfolioId);
      return snapshot(deps, token, portfolioId, portfolio);
    }
    if (cursor !== undefined && page.cursor !== cursor) throw new RangeError(`a page of the delta at cursor ${cursor} came with cursor ${page.cursor}`);
    cursor = page.cursor;
    const next = page.next ?? null;
    if (next !== null && next === after) throw new RangeError(`the server answered the page after ${after} with the same continuation`);
    // Until the last page the stored cursor stays at `since`: an interruption asks the whole delta again.
    await deps.ledger.applyPull(deltaOf(page, next === null ? cursor : since), deps.now(), portfolio);
    all.accounts.push(...page.accounts);
    all.contacts.push(...page.contacts);
    all.documents.push(...page.documents);
    all.payments.push(...page.payments);
    pages++;
    rows += rowsOf(page);
    deps.onPage?.({ portfolioId, snapshot: false, page: pages, rows: rowsOf(page), total: rows, more: next !== null });
    if (next === null) break;
    after = next;
  }
  return { portfolioId, snapshot: false, delta: { portfolioId, since, cursor, ...all }, cursor, rows, pages, resumed: false };
}

/** An account's history: what the copy holds, completed by the server's when it can be reached. */
export interface AccountHistoryResult {
  readonly documents: LedgerDocument[];
  readonly payments: Payment[];
  /** True when the server's history was merged in; false: the copy's window only (offline, say). */
  readonly fromServer: boolean;
}

export interface HistoryDeps {
  readonly server: Pick<ServerPort, 'accountHistory'>;
  readonly ledger: Pick<LedgerRepository, 'accountDocuments' | 'accountPayments'>;
}

/**
 * The whole history of one account for its workspace: the device holds the history window only
 * (scope `device`), so the rest is asked of the server (`GET …/accounts/:number/history`) and merged by
 * key, the server's row winning (it is read now; the copy at the last pull). Offline or refused, the
 * copy's rows alone. Nothing is written to the copy: the next opening asks again.
 */
export async function readAccountHistory(deps: HistoryDeps, token: string | undefined, portfolioId: string, accountNumber: string): Promise<AccountHistoryResult> {
  const [documents, payments] = await Promise.all([deps.ledger.accountDocuments(portfolioId, accountNumber), deps.ledger.accountPayments(portfolioId, accountNumber)]);
  if (token === undefined || deps.server.accountHistory === undefined) return { documents, payments, fromServer: false };
  let remote;
  try {
    remote = await deps.server.accountHistory(token, portfolioId, accountNumber);
  } catch {
    return { documents, payments, fromServer: false };
  }
  if (remote.portfolioId !== portfolioId || remote.accountNumber !== accountNumber) return { documents, payments, fromServer: false };
  const docs = new Map(documents.map((d) => [documentKey(d), d]));
  for (const d of remote.documents) if (d.accountNumber === accountNumber) docs.set(documentKey(d), d);
  const pays = new Map(payments.map((p) => [p.id, p]));
  for (const p of remote.payments) if (p.accountNumber === accountNumber) pays.set(p.id, p);
  return { documents: [...docs.values()], payments: [...pays.values()], fromServer: true };
}
