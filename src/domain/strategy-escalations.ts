/**
 * Escalations the strategy raises on its own. They are derived, never written as facts (facts.ts says
 * why), so their ids must be stable across devices and evaluations and must change when the situation
 * that raised them is a new one: a resolution fact names the id, and silences exactly that occurrence.
 *
 * - `derived:dispute:<disputeId>`: each open dispute, to the dispute owner role, since it was opened.
 * - `derived:broken-promise:<promiseId>`: the current promise broken or partially kept, to the broken
 *   promise role, since the day it failed; none once a payment arrived on or after that day (the
 *   debtor is paying again). A later promise is the current one, so keeping it ends this too.
 * - `derived:erp-dispute:<invoice>`: each open invoice the ERP flags disputed and no dispute fact covers,
 *   to the dispute owner role.
 * - `derived:large-balance:<date>`: everything open in the threshold's currency (disputed and held
 *   included: it is exposure) at or above the amount. The date is the issue date at which the running
 *   total of the documents open today, oldest first, last rose to the threshold. While the balance
 *   stays high it does not move, so a resolution holds; paid down and built up again, it moves and the
 *   escalation comes back. A partial payment on an old invoice can move it too, a false return in the
 *   safe direction.
 */
import type { AccountState, DisputeState, EscalationState } from './account-state';
import type { CalendarDate } from './calendar';
import type { LedgerDocument, Payment } from './ledger';
import { toDecimalString, type Minor } from './money';
import { copyRange, flat } from './retained';
import type { EscalationConfig } from './strategy-schema';
import type { MeasuredAccount } from './strategy-metrics';
import { dayStartInstant } from './strategy-time';

const NONE: readonly EscalationState[] = Object.freeze([]);
const scratch: EscalationState[] = [];

// `derived:large-balance:<date>` names only a date: one string per date, shared. Bounded.
const largeBalanceIds = new Map<string, string>();

function largeBalanceId(since: string): string {
  let id = largeBalanceIds.get(since);
  if (id === undefined) {
    if (largeBalanceIds.size >= 4096) largeBalanceIds.clear();
    id = flat(`derived:large-balance:${since}`);
    largeBalanceIds.set(since, id);
  }
  return id;
}

/**
 * A payment on or after `day`: a posted payment when the payments are at hand, else an invoice the ERP
 * shows paid off on or after that day (its paidDate), which misses partial payments.
 */
export function paidSince(day: CalendarDate, documents: readonly LedgerDocument[], payments: readonly Pick<Payment, 'receivedDate'>[] | undefined): boolean {
  if (payments !== undefined) {
    // Newest first: ledgers list payments by date, so a recent one is found at once.
    for (let i = payments.length - 1; i >= 0; i--) if ((payments[i] as Pick<Payment, 'receivedDate'>).receivedDate >= day) return true;
    return false;
  }
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i] as LedgerDocument;
    if (d.kind === 'invoice' && d.paidDate !== undefined && d.paidDate >= day) return true;
  }
  return false;
}

/**
 * `paidSinceFailure`: `paidSince(failedOn)` of the current promise when it is broken or partially kept
 * (the evaluation needs it too, so it is computed once there).
 */
export function deriveEscalations(
  config: EscalationConfig,
  state: AccountState,
  measured: MeasuredAccount,
  documents: readonly LedgerDocument[],
  paidSinceFailure: boolean,
  asOfDate: CalendarDate,
): readonly EscalationState[] {
  // Gathered in module scratch, copied out at exact size (see retained.ts); most accounts have none.
  const out = scratch;
  let n = 0;
  const resolved = state.resolvedEscalations;
  // Most accounts have no resolution: no id is hashed then.
  const anyResolved = resolved.size > 0;
  const disputes = state.disputes;
  for (let i = 0; i < disputes.length; i++) {
    const d = disputes[i] as DisputeState;
    if (d.status !== 'open') continue;
    const id = `derived:dispute:${d.id}`;
    if (anyResolved && resolved.has(id)) continue;
    const f = d.fact;
    out[n++] = {
      id,
      source: 'derived',
      reason: flat(`Open dispute (${f.reasonCode}) on ${f.documentNumbers.join(', ')} for ${toDecimalString(f.amount, f.currency)} ${f.currency}`),
      toRole: config.disputeOwnerRole,
      openedAt: d.openedAt,
    };
  }
  // An invoice the ERP flags disputed leaves the dunning flow like a team's dispute, and escalates the
  // same way; a dispute fact on it speaks for it instead. Opened: the issue date (the ERP does not say).
  for (let i = 0; i < documents.length; i++) {
    const doc = documents[i] as LedgerDocument;
    if (!doc.erpDisputed || doc.status !== 'open' || doc.kind !== 'invoice' || doc.open <= 0 || state.disputedDocuments.has(doc.number)) continue;
    const id = `derived:erp-dispute:${doc.number}`;
    if (anyResolved && resolved.has(id)) continue;
    out[n++] = {
      id,
      source: 'derived',
      reason: flat(`The ERP marks invoice ${doc.number} disputed (${toDecimalString(doc.open, doc.currency)} ${doc.currency} open)`),
      toRole: config.disputeOwnerRole,
      openedAt: dayStartInstant(doc.issueDate),
    };
  }
  const p = state.currentPromise;
  if (p !== undefined && (p.status === 'broken' || p.status === 'partially-kept') && p.failedOn !== undefined) {
    const id = `derived:broken-promise:${p.id}`;
    if (!paidSinceFailure && !(anyResolved && resolved.has(id)))
      out[n++] = {
        id,
        source: 'derived',
        reason: flat(`Promise ${p.status === 'broken' ? 'broken' : 'partially kept'}: ${toDecimalString(p.paid, p.currency)} of ${toDecimalString(p.promised, p.currency)} ${p.currency} paid when it failed on ${p.failedOn}`),
        toRole: config.brokenPromiseRole,
        openedAt: dayStartInstant(p.failedOn),
      };
  }
  const large = config.largeBalance;
  if (large !== undefined && measured.metrics.currency === large.currency && measured.exposure >= large.amount) {
    const since = crossedOn(documents, large.currency, large.amount, asOfDate);
    const id = largeBalanceId(since);
    if (!(anyResolved && resolved.has(id)))
      out[n++] = {
        id,
        source: 'derived',
        reason: flat(`Large balance: ${toDecimalString(measured.exposure as Minor, large.currency)} ${large.currency} open, at or above the ${toDecimalString(large.amount, large.currency)} threshold`),
        toRole: large.role,
        openedAt: dayStartInstant(since),
      };
  }
  return n === 0 ? NONE : copyRange(out, 0, n);
}

/**
 * The issue date at which the running total of today's open documents in `currency`, by issue date,
 * last rose to `amount`. Only reached for accounts over the threshold, so the sort is rare.
 */
function crossedOn(documents: readonly LedgerDocument[], currency: string, amount: number, asOfDate: CalendarDate): CalendarDate {
  // Documents usually come in issue-date order: then one pass over them, without a filtered and sorted
  // copy per account (the pass gives up at the first document out of order).
  const inOrder = crossedInOrder(documents, currency, amount, asOfDate);
  if (inOrder !== undefined) return inOrder;
  const open = documents.filter((d) => counts(d, currency, asOfDate));
  open.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
  return crossedInOrder(open, currency, amount, asOfDate) as CalendarDate;
}

function counts(d: LedgerDocument, currency: string, asOfDate: CalendarDate): boolean {
  return d.status === 'open' && d.open !== 0 && d.currency === currency && d.issueDate <= asOfDate;
}

/** crossedOn over the documents that count, when they are in issue-date order; undefined when not. */
function crossedInOrder(documents: readonly LedgerDocument[], currency: string, amount: number, asOfDate: CalendarDate): CalendarDate | undefined {
  let running = 0;
  let since: CalendarDate | null = null;
  let day: CalendarDate | null = null;
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i] as LedgerDocument;
    if (!counts(d, currency, asOfDate)) continue;
    if (day !== null && d.issueDate !== day) {
      if (d.issueDate < day) return undefined;
      // Decide at the end of each issue date: the order of one day's documents must not matter.
      if (running >= amount) since ??= day;
      else since = null;
    }
    running += d.open;
    day = d.issueDate;
  }
  if (day !== null) {
    if (running >= amount) since ??= day;
    else since = null;
  }
  return since ?? asOfDate;
}
