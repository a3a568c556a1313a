/**
 * Allocation of a payment, and of the account's open credit notes, to the open invoices of one account
 * in one currency. Exact: amounts are integer minor units and nothing is ever rounded.
 *
 * How it works. A document takes part when it is open, its open amount is not zero and it is in the
 * payment's currency. An open document in another currency refuses the whole allocation: converting
 * would need a rate and a date we do not have. Invoices are ordered by due date, then issue date, then
 * number; credit notes by issue date, then due date, then number. Numbers are unique within an account,
 * so both are total orders and the outcome does not depend on the order the documents arrive in.
 *
 * Oldest-first mode walks the invoices in that order. Each invoice draws first on the credits (oldest
 * credit first) and then on the cash, taking min(its open, what is left). Drawing on credits invoice by
 * invoice, rather than pooling them with the cash up front, is what keeps a credit from ever becoming
 * unapplied cash: a credit is consumed only as far as some invoice still needs it. It also means no sum
 * larger than one document's open amount is ever formed, so huge amounts stay within safe integers.
 *
 * Explicit mode takes the collector's lines as given (against invoices only; credits stay untouched) and
 * only checks them. Both modes keep amount + Σ creditsApplied = Σ allocations + unapplied.
 */
import type { CalendarDate } from './calendar';
import type { Allocation, LedgerDocument } from './ledger';
import { isCurrencyCode, minor, toDecimalString, ZERO, type CurrencyCode, type Minor } from './money';

/** Part of a credit note's open amount consumed to pay invoices (a positive amount). */
export interface CreditApplication {
  readonly documentNumber: string;
  readonly amount: Minor;
}

/** A document's open amount after the allocation (negative for a credit note not fully used). */
export interface DocumentBalance {
  readonly documentNumber: string;
  readonly open: Minor;
}

export interface AllocationSuccess {
  readonly ok: true;
  readonly currency: CurrencyCode;
  /** The payment's cash amount. */
  readonly amount: Minor;
  /** Against invoices, each a positive amount; cash and credits combined. */
  readonly allocations: readonly Allocation[];
  readonly creditsApplied: readonly CreditApplication[];
  /** Cash left on account, never negative and never more than the payment. */
  readonly unapplied: Minor;
  /** New open amount of every document that was open in this currency, changed or not: credits first, then invoices, each in allocation order. */
  readonly balances: readonly DocumentBalance[];
}

export interface AllocationFailure {
  readonly ok: false;
  /** Names the document and what was expected, for a person to act on. */
  readonly error: string;
  /** The offending document, when there is one, so a screen can point at it. */
  readonly documentNumber?: string;
}

export type AllocationResult = AllocationSuccess | AllocationFailure;

export interface OldestFirstInput {
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  /** The documents of one account. Settled ones are ignored whatever their currency; an open one in another currency is refused. */
  readonly documents: readonly LedgerDocument[];
  /** Consume open credit notes before the cash (default true). */
  readonly useCredits?: boolean;
}

export interface AllocationLine {
  readonly documentNumber: string;
  readonly amount: Minor;
}

export interface ExplicitInput {
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  readonly documents: readonly LedgerDocument[];
  /** Against open invoices only, at most one line per invoice. */
  readonly lines: readonly AllocationLine[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Invoices: earliest due first; the issue date and then the number break ties. */
export function compareInvoicesOldestFirst(a: LedgerDocument, b: LedgerDocument): number {
  return compare(a.dueDate, b.dueDate) || compare(a.issueDate, b.issueDate) || compare(a.number, b.number);
}

/** Credit notes: earliest issued first; a credit note's age is its own date, not a due date. */
export function compareCreditsOldestFirst(a: LedgerDocument, b: LedgerDocument): number {
  return compare(a.issueDate, b.issueDate) || compare(a.dueDate, b.dueDate) || compare(a.number, b.number);
}

function fail(error: string, documentNumber?: string): AllocationFailure {
  return documentNumber === undefined ? { ok: false, error } : { ok: false, error, documentNumber };
}

function show(amount: number, currency: CurrencyCode): string {
  return `${Number.isSafeInteger(amount) ? toDecimalString(minor(amount), currency) : String(amount)} ${currency}`;
}

function takesPart(d: LedgerDocument): boolean {
  return d.status === 'open' && d.open !== 0;
}

interface Prepared {
  /** Open invoices in this currency, oldest due first. */
  readonly invoices: readonly LedgerDocument[];
  /** Open credit notes in this currency, oldest first. */
  readonly credits: readonly LedgerDocument[];
}

/** Checks shared by both modes; on success the documents that take part, in allocation order. */
function prepare(amount: Minor, currency: CurrencyCode, documents: readonly LedgerDocument[]): Prepared | AllocationFailure {
  if (!isCurrencyCode(currency)) return fail(`expected an ISO 4217 currency code such as USD, got "${String(currency)}"`);
  if (!Number.isSafeInteger(amount) || amount < 0)
    return fail(`expected a payment of zero or more whole minor units of ${currency}, got ${String(amount)}`);
  const first = documents[0];
  const seen = new Set<string>();
  const invoices: LedgerDocument[] = [];
  const credits: LedgerDocument[] = [];
  for (const d of documents) {
    if (first && (d.portfolioId !== first.portfolioId || d.accountNumber !== first.accountNumber))
      return fail(
        `document ${d.number} belongs to account ${d.accountNumber}, not ${first.accountNumber}: expected the documents of one account`,
        d.number,
      );
    // Lines and results name documents by number alone, so a repeated number would be ambiguous.
    if (seen.has(d.number)) return fail(`document ${d.number} is listed twice: expected each document once`, d.number);
    seen.add(d.number);
    if (!takesPart(d)) continue;
    if (d.currency !== currency)
      return fail(
        `document ${d.number} is open in ${d.currency}, not ${currency}: expected documents in the payment's currency only (amounts are never converted)`,
        d.number,
      );
    if (!Number.isSafeInteger(d.open))
      return fail(`document ${d.number} has open ${String(d.open)}: expected whole minor units`, d.number);
    if (d.kind === 'invoice') {
      if (d.open < 0) return fail(`invoice ${d.number} has a negative open ${show(d.open, currency)}: expected a positive amount`, d.number);
      invoices.push(d);
    } else {
      if (d.open > 0) return fail(`credit note ${d.number} has a positive open ${show(d.open, currency)}: expected a negative amount`, d.number);
      credits.push(d);
    }
  }
  invoices.sort(compareInvoicesOldestFirst);
  credits.sort(compareCreditsOldestFirst);
  return { invoices, credits };
}

/**
 * Pays the oldest-due invoices first, after consuming the open credit notes (oldest first, and only as
 * far as the invoices need them). What the invoices do not need stays on account as `unapplied`.
 */
export function allocateOldestFirst(input: OldestFirstInput): AllocationResult {
  const { amount, currency, documents, useCredits = true } = input;
  const prepared = prepare(amount, currency, documents);
  if ('ok' in prepared) return prepared;

  const credits = prepared.credits.map((doc) => ({ doc, left: Math.abs(doc.open), used: 0 }));
  let next = 0;
  let cash: number = amount;
  const allocations: Allocation[] = [];
  const invoiceBalances: DocumentBalance[] = [];
  for (const invoice of prepared.invoices) {
    let need: number = invoice.open;
    if (useCredits) {
      for (let credit = credits[next]; need > 0 && credit; credit = credits[next]) {
        const take = Math.min(need, credit.left);
        credit.left -= take;
        credit.used += take;
        need -= take;
        if (credit.left === 0) next += 1;
      }
    }
    const fromCash = Math.min(need, cash);
    cash -= fromCash;
    need -= fromCash;
    const paid = invoice.open - need;
    if (paid > 0) allocations.push({ documentNumber: invoice.number, amount: minor(paid) });
    invoiceBalances.push({ documentNumber: invoice.number, open: minor(need) });
  }

  return {
    ok: true,
    currency,
    amount,
    allocations,
    creditsApplied: credits.filter((c) => c.used > 0).map((c) => ({ documentNumber: c.doc.number, amount: minor(c.used) })),
    unapplied: minor(cash),
    // `left` is a magnitude; 0 − 0 keeps a used-up credit at +0 rather than −0.
    balances: [...credits.map((c) => ({ documentNumber: c.doc.number, open: minor(0 - c.left) })), ...invoiceBalances],
  };
}

/**
 * Checks and applies the collector's own lines. Credits are not touched; what the lines do not use
 * stays on account. The first problem, in line order, is reported.
 */
export function allocateExplicit(input: ExplicitInput): AllocationResult {
  const { amount, currency, documents, lines } = input;
  const prepared = prepare(amount, currency, documents);
  if ('ok' in prepared) return prepared;

  const byNumber = new Map(documents.map((d) => [d.number, d]));
  const paidBy = new Map<string, number>();
  let total = 0;
  for (const [i, line] of lines.entries()) {
    const at = `line ${i + 1}`;
    const n = line.documentNumber;
    const doc = byNumber.get(n);
    if (!doc) return fail(`${at}: there is no document ${n} on this account: expected the number of an open invoice`, n);
    if (doc.kind !== 'invoice')
      return fail(`${at}: ${n} is a credit note: expected an open invoice (explicit lines go against invoices only)`, n);
    if (doc.currency !== currency) return fail(`${at}: invoice ${n} is in ${doc.currency}: expected an invoice in ${currency}`, n);
    if (!takesPart(doc))
      return fail(`${at}: invoice ${n} is ${doc.status === 'open' ? 'fully paid' : doc.status}: expected an open invoice`, n);
    if (paidBy.has(n)) return fail(`${at}: invoice ${n} already has a line: expected one line per invoice`, n);
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0)
      return fail(`${at}: amount ${String(line.amount)} for invoice ${n}: expected a positive whole number of minor units`, n);
    if (line.amount > doc.open)
      return fail(
        `${at}: ${show(line.amount, currency)} for invoice ${n} is more than its open ${show(doc.open, currency)}: expected at most the open amount`,
        n,
      );
    // Each line is at most a safe open amount and `total` stops at the payment, so the sum stays exact.
    total += line.amount;
    if (total > amount)
      return fail(
        `${at}: invoice ${n} brings the lines to ${show(total, currency)}, more than the payment of ${show(amount, currency)}: expected lines totalling at most the payment`,
        n,
      );
    paidBy.set(n, line.amount);
  }

  const balance = (d: LedgerDocument): DocumentBalance => ({ documentNumber: d.number, open: minor(d.open - (paidBy.get(d.number) ?? 0)) });
  return {
    ok: true,
    currency,
    amount,
    allocations: lines.map((l) => ({ documentNumber: l.documentNumber, amount: l.amount })),
    creditsApplied: [],
    unapplied: minor(amount - total),
    balances: [...prepared.credits.map(balance), ...prepared.invoices.map(balance)],
  };
}

/**
 * The documents after posting a successful allocation: new open amounts, and status 'paid' with
 * `paidDate` for each one that reaches zero. Inputs are not mutated; untouched documents are returned
 * as the same objects. A result that no longer fits the documents (a stale allocation, a document missing
 * or listed twice) is a programming error and throws a RangeError rather than posting half of it.
 */
export function applyAllocation(
  documents: readonly LedgerDocument[],
  result: AllocationSuccess,
  paidDate: CalendarDate,
): LedgerDocument[] {
  const changes = new Map<string, { kind: LedgerDocument['kind']; delta: number }>();
  const note = (documentNumber: string, kind: LedgerDocument['kind'], delta: number) => {
    const prior = changes.get(documentNumber);
    if (prior && prior.kind !== kind) throw new RangeError(`document ${documentNumber} is allocated both as an invoice and as a credit note`);
    changes.set(documentNumber, { kind, delta: (prior?.delta ?? 0) + delta });
  };
  for (const a of result.allocations) note(a.documentNumber, 'invoice', 0 - a.amount);
  for (const c of result.creditsApplied) note(c.documentNumber, 'credit_note', c.amount);

  const applied = new Set<string>();
  const updated = documents.map((d): LedgerDocument => {
    const change = changes.get(d.number);
    if (!change || !takesPart(d) || d.currency !== result.currency) return d;
    if (applied.has(d.number)) throw new RangeError(`document ${d.number} is listed twice: cannot tell which one to update`);
    applied.add(d.number);
    if (d.kind !== change.kind) throw new RangeError(`document ${d.number} is a ${d.kind}, but the allocation treats it as a ${change.kind}`);
    const open = d.open + change.delta;
    if (d.kind === 'invoice' ? open < 0 : open > 0)
      throw new RangeError(`document ${d.number} would go past zero (open ${d.open}, change ${change.delta}): the allocation is stale`);
    if (open === 0) return { ...d, open: ZERO, status: 'paid', paidDate };
    return { ...d, open: minor(open) };
  });
  for (const n of changes.keys())
    if (!applied.has(n)) throw new RangeError(`no open ${result.currency} document ${n} to apply the allocation to`);
  return updated;
}
