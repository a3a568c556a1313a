/**
 * The ledger pull (DESIGN.md §2.1): the device's read-only copy follows the server with
 * `GET /api/portfolios/:id/ledger?since=<cursor>`: a snapshot the first time (since 0), then the rows
 * written after the cursor.
 *
 * Each answer is parsed with ledgerDeltaSchema by the server adapter and applied as one batch: its rows
 * and its cursor in one transaction (LedgerRepository.applyPull), so an interrupted pull resumes from the
 * last cursor stored and never skips rows. A server whose cursor went backwards (restored from a
 * backup, or another server) cannot be followed by deltas: the copy is cleared and pulled again.
 */
import type { Instant } from '../domain/facts';
import type { LedgerDelta, Portfolio } from '../domain/ledger';
import type { LedgerRepository, ServerPort } from './ports';

export interface PullResult {
  readonly portfolioId: string;
  /** True when this pull was a snapshot (first pull, or a reset). */
  readonly snapshot: boolean;
  /** The batch applied (its rows are what changed). */
  readonly delta: LedgerDelta;
  readonly cursor: number;
}

export interface PullDeps {
  readonly server: Pick<ServerPort, 'ledger'>;
  readonly ledger: LedgerRepository;
  readonly now: () => Instant;
}

export async function pullLedger(deps: PullDeps, token: string, portfolioId: string, portfolio?: Portfolio): Promise<PullResult> {
  const stored = await deps.ledger.cursor(portfolioId);
  const since = stored?.cursor ?? 0;
  let delta = await deps.server.ledger(token, portfolioId, since);
  if (delta.portfolioId !== portfolioId) throw new RangeError(`asked for the ledger of ${portfolioId}, got ${delta.portfolioId}'s`);
  let snapshot = since === 0;
  if (delta.cursor < since) {
    await deps.ledger.clear(portfolioId);
    delta = await deps.server.ledger(token, portfolioId, 0);
    snapshot = true;
  }
  await deps.ledger.applyPull(delta, deps.now(), portfolio);
  return { portfolioId, snapshot, delta, cursor: delta.cursor };
}
