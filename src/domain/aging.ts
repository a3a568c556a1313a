/**
 * Aging: open receivables in buckets of days, per currency, for any asOf.
 *
 * How it works. A document's age is `asOf − dueDate` (days past due, basis 'due') or `asOf − issueDate`
 * (basis 'invoice'), in whole calendar days from epoch-day arithmetic, so month ends and leap days need
 * no special case. The buckets are validated to tile the whole number line (the first open below, the
 * last open above, each starting the day after the previous ends), so finding a bucket is a scan of
 * upper bounds and every open document lands in exactly one: bucket totals partition the total.
 * A document counts when it is issued on or before asOf and its open amount at asOf (receivables-history)
 * is not zero; a credit note's negative open reduces the bucket of its own date. Amounts are summed per
 * currency and never across currencies.
 */
import { z } from 'zod';
import { dayOf, type CalendarDate } from './calendar';
import type { LedgerDocument } from './ledger';
import type { CurrencyCode, Minor } from './money';
import { buildReceivablesIndex, openAtDay, type ReceivablesIndex, type ReceivablesSource } from './receivables-history';

export const AGING_BASES = ['due', 'invoice'] as const;
export type AgingBasis = (typeof AGING_BASES)[number];

export const agingBucketSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** First day of the bucket; null only on the first bucket: everything below (not yet due). */
  minDays: z.number().int().nullable(),
  /** Last day of the bucket, inclusive; null only on the last bucket: everything older. */
  maxDays: z.number().int().nullable(),
});
export type AgingBucket = z.infer<typeof agingBucketSchema>;

const range = (from: number, to: number) => (from === to ? `day ${from}` : `days ${from}–${to}`);

export const agingConfigSchema = z
  .object({
    basis: z.enum(AGING_BASES),
    buckets: z.array(agingBucketSchema).min(1, { message: 'an aging needs at least one bucket' }),
  })
  .superRefine((config, ctx) => {
    const { basis, buckets } = config;
    const ids = new Set<string>();
    buckets.forEach((b, i) => {
      if (ids.has(b.id)) ctx.addIssue({ code: 'custom', path: ['buckets', i, 'id'], message: `bucket id "${b.id}" is used twice` });
      ids.add(b.id);
      if (b.minDays === null && i > 0)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'minDays'], message: `bucket "${b.id}": only the first bucket may be open below (minDays null)` });
      if (b.maxDays === null && i < buckets.length - 1)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'maxDays'], message: `bucket "${b.id}": only the last bucket may be open-ended (maxDays null)` });
      if (b.minDays !== null && b.maxDays !== null && b.minDays > b.maxDays)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'minDays'], message: `bucket "${b.id}": minDays ${b.minDays} is above maxDays ${b.maxDays}` });
      const prev = buckets[i - 1];
      if (prev && prev.maxDays !== null && b.minDays !== null) {
        const expected = prev.maxDays + 1;
        if (b.minDays > expected)
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', i, 'minDays'],
            message: `bucket "${b.id}" must start at day ${expected}, right after "${prev.id}": ${range(expected, b.minDays - 1)} would fall in no bucket`,
          });
        else if (b.minDays < expected)
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', i, 'minDays'],
            message: `bucket "${b.id}" must start at day ${expected}, right after "${prev.id}": it overlaps it on ${range(b.minDays, Math.min(prev.maxDays, b.maxDays ?? prev.maxDays))} (buckets go in ascending order)`,
          });
      }
    });
    const last = buckets[buckets.length - 1];
    if (last && last.maxDays !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['buckets', buckets.length - 1, 'maxDays'],
        message: `the last bucket "${last.id}" must be open-ended (maxDays null), or documents older than ${last.maxDays} days would fall in no bucket`,
      });
    const first = buckets[0];
    if (first && first.minDays !== null) {
      if (basis === 'due')
        ctx.addIssue({
          code: 'custom',
          path: ['buckets', 0, 'minDays'],
          message: `with basis 'due' the first bucket "${first.id}" must be open below (minDays null): documents not yet due have negative days past due`,
        });
      else if (first.minDays > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['buckets', 0, 'minDays'],
          message: `with basis 'invoice' the first bucket "${first.id}" must start at day 0 or be open below: a document issued on asOf is 0 days old`,
        });
    }
  });
export type AgingConfig = z.infer<typeof agingConfigSchema>;

/** By due date: Current (not past due, ≤ 0 days), 1–30, 31–60, 61–90, 91–120, 120+ (121 and more). */
export const defaultDueDateAging: AgingConfig = {
  basis: 'due',
  buckets: [
    { id: 'current', label: 'Current', minDays: null, maxDays: 0 },
    { id: '1-30', label: '1–30', minDays: 1, maxDays: 30 },
    { id: '31-60', label: '31–60', minDays: 31, maxDays: 60 },
    { id: '61-90', label: '61–90', minDays: 61, maxDays: 90 },
    { id: '91-120', label: '91–120', minDays: 91, maxDays: 120 },
    { id: 'over-120', label: '120+', minDays: 121, maxDays: null },
  ],
};

/** By invoice date (days since issue): 0–30, 31–60, 61–90, 91–120, 120+. */
export const defaultInvoiceDateAging: AgingConfig = {
  basis: 'invoice',
  buckets: [
    { id: '0-30', label: '0–30', minDays: 0, maxDays: 30 },
    { id: '31-60', label: '31–60', minDays: 31, maxDays: 60 },
    { id: '61-90', label: '61–90', minDays: 61, maxDays: 90 },
    { id: '91-120', label: '91–120', minDays: 91, maxDays: 120 },
    { id: 'over-120', label: '120+', minDays: 121, maxDays: null },
  ],
};

/** Upper bounds of all buckets but the last, for the hot-loop lookup. */
export function bucketBounds(config: AgingConfig): Int32Array {
  return Int32Array.from(config.buckets.slice(0, -1).map((b) => b.maxDays ?? 0));
}

/** Bucket position of an age in days, given `bucketBounds` (valid configs tile every integer). */
export function bucketOfDays(bounds: Int32Array, days: number): number {
  let b = 0;
  while (b < bounds.length && days > (bounds[b] as number)) b++;
  return b;
}

/** Age in days of a document at asOf: days past due (basis 'due') or days since issue ('invoice'). */
export function agingDays(doc: Pick<LedgerDocument, 'issueDate' | 'dueDate'>, asOf: CalendarDate, basis: AgingBasis): number {
  return dayOf(asOf) - dayOf(basis === 'due' ? doc.dueDate : doc.issueDate);
}

export interface DocumentAge {
  readonly bucketId: string;
  readonly bucketIndex: number;
  readonly days: number;
}

/**
 * Bucket and age of one document at asOf, whatever its open amount (the caller knows whether it is open);
 * null when it is issued after asOf, as it did not exist yet.
 */
export function ageDocument(
  doc: Pick<LedgerDocument, 'issueDate' | 'dueDate'>,
  asOf: CalendarDate,
  config: AgingConfig = defaultDueDateAging,
): DocumentAge | null {
  if (doc.issueDate > asOf) return null;
  const days = agingDays(doc, asOf, config.basis);
  const bucketIndex = bucketOfDays(bucketBounds(config), days);
  return { bucketId: (config.buckets[bucketIndex] as AgingBucket).id, bucketIndex, days };
}

/** One currency's aging: amounts and document counts per bucket, in the config's bucket order. */
export interface AgingTotals {
  buckets: Minor[];
  counts: number[];
  total: Minor;
  count: number;
}

/** Keyed by currency code; a currency with nothing open at asOf is absent. */
export type AgingByCurrency = Record<CurrencyCode, AgingTotals>;

export interface AccountAging {
  accountNumber: string;
  byCurrency: AgingByCurrency;
}

export interface PortfolioAging {
  asOf: CalendarDate;
  basis: AgingBasis;
  buckets: AgingBucket[];
  portfolio: AgingByCurrency;
  /** Accounts with at least one document open at asOf, in the ledger's first-seen order. */
  accounts: AccountAging[];
}

function totalsOf(amounts: Float64Array, counts: Int32Array, at: number, nb: number): AgingTotals {
  const buckets: Minor[] = new Array<Minor>(nb);
  const cs: number[] = new Array<number>(nb);
  let total = 0;
  let count = 0;
  for (let b = 0; b < nb; b++) {
    const v = amounts[at + b] as number;
    const c = counts[at + b] as number;
    buckets[b] = v as Minor;
    cs[b] = c;
    total += v;
    count += c;
  }
  return { buckets, counts: cs, total: total as Minor, count };
}

/**
 * Portfolio and per-account aging at asOf from a receivables index. One pass over the documents
 * accumulates into typed arrays per (account, currency) pair; the portfolio figures are their sums.
 */
export function agePortfolio(ix: ReceivablesIndex, asOf: CalendarDate, config: AgingConfig = defaultDueDateAging): PortfolioAging {
  const asOfDay = dayOf(asOf);
  const nb = config.buckets.length;
  const bounds = bucketBounds(config);
  const byDue = config.basis === 'due';
  const npairs = ix.pairCurrency.length;
  const amounts = new Float64Array(npairs * nb);
  const counts = new Int32Array(npairs * nb);
  const { issueDay, dueDay, pair } = ix;
  for (let i = 0; i < ix.size; i++) {
    if ((issueDay[i] as number) > asOfDay) continue;
    const open = openAtDay(ix, i, asOfDay, asOfDay);
    if (open === 0) continue;
    const days = asOfDay - (byDue ? (dueDay[i] as number) : (issueDay[i] as number));
    let b = 0;
    while (b < bounds.length && days > (bounds[b] as number)) b++;
    const at = (pair[i] as number) * nb + b;
    amounts[at] = (amounts[at] as number) + open;
    counts[at] = (counts[at] as number) + 1;
  }

  const nc = ix.currencies.length;
  const portAmounts = new Float64Array(nc * nb);
  const portCounts = new Int32Array(nc * nb);
  const accounts: AccountAging[] = [];
  const na = ix.accounts.length;
  for (let a = 0; a < na; a++) {
    let byCurrency: AgingByCurrency | undefined;
    for (let p = ix.accountPairStart[a] as number; p < (ix.accountPairStart[a + 1] as number); p++) {
      let any = 0;
      for (let b = 0; b < nb; b++) any += counts[p * nb + b] as number;
      if (any === 0) continue;
      const c = ix.pairCurrency[p] as number;
      for (let b = 0; b < nb; b++) {
        portAmounts[c * nb + b] = (portAmounts[c * nb + b] as number) + (amounts[p * nb + b] as number);
        portCounts[c * nb + b] = (portCounts[c * nb + b] as number) + (counts[p * nb + b] as number);
      }
      byCurrency ??= {} as AgingByCurrency;
      byCurrency[ix.currencies[c] as CurrencyCode] = totalsOf(amounts, counts, p * nb, nb);
    }
    if (byCurrency) accounts.push({ accountNumber: ix.accounts[a] as string, byCurrency });
  }
  const portfolio = {} as AgingByCurrency;
  for (let c = 0; c < nc; c++) {
    const totals = totalsOf(portAmounts, portCounts, c * nb, nb);
    if (totals.count > 0) portfolio[ix.currencies[c] as CurrencyCode] = totals;
  }
  return { asOf, basis: config.basis, buckets: config.buckets.map((b) => ({ ...b })), portfolio, accounts };
}

/** One account's aging at asOf (by position in the index: no scan of the other accounts' documents). */
export function ageAccount(
  ix: ReceivablesIndex,
  accountNumber: string,
  asOf: CalendarDate,
  config: AgingConfig = defaultDueDateAging,
): AgingByCurrency {
  const a = ix.accountIndex.get(accountNumber);
  const out = {} as AgingByCurrency;
  if (a === undefined) return out;
  const asOfDay = dayOf(asOf);
  const nb = config.buckets.length;
  const bounds = bucketBounds(config);
  const nc = ix.currencies.length;
  const amounts = new Float64Array(nc * nb);
  const counts = new Int32Array(nc * nb);
  for (let k = ix.accountDocStart[a] as number; k < (ix.accountDocStart[a + 1] as number); k++) {
    const i = ix.accountDocs[k] as number;
    if ((ix.issueDay[i] as number) > asOfDay) continue;
    const open = openAtDay(ix, i, asOfDay, asOfDay);
    if (open === 0) continue;
    const days = asOfDay - (config.basis === 'due' ? (ix.dueDay[i] as number) : (ix.issueDay[i] as number));
    const at = (ix.currency[i] as number) * nb + bucketOfDays(bounds, days);
    amounts[at] = (amounts[at] as number) + open;
    counts[at] = (counts[at] as number) + 1;
  }
  for (let c = 0; c < nc; c++) {
    const totals = totalsOf(amounts, counts, c * nb, nb);
    if (totals.count > 0) out[ix.currencies[c] as CurrencyCode] = totals;
  }
  return out;
}

/** Aging straight from documents and payments (builds the index; reuse one for repeated analyses). */
export function ageLedger(source: ReceivablesSource, asOf: CalendarDate, config: AgingConfig = defaultDueDateAging): PortfolioAging {
  return agePortfolio(buildReceivablesIndex(source), asOf, config);
}
