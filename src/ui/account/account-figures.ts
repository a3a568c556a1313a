/**
 * Figures the account header shows that the worklist entry does not carry: the aging of the open
 * documents by bucket (in the account's main currency) and the expected pay date from how late the
 * customer has paid before. Pure, computed once per AccountView.
 */
import { ageDocument, defaultDueDateAging, type AgingConfig } from '../../domain/aging';
import { dayOf, type CalendarDate } from '../../domain/calendar';
import { expectedPayDate } from '../../domain/kpi';
import type { LedgerDocument } from '../../domain/ledger';

export interface BucketAmount {
  readonly id: string;
  readonly label: string;
  readonly amount: number;
}

/** Open documents of `currency` summed by aging bucket at `asOf` (credit notes net in their own bucket). */
export function agingOfDocuments(documents: readonly LedgerDocument[], currency: string, asOf: CalendarDate, aging: AgingConfig = defaultDueDateAging): BucketAmount[] {
  const sums = aging.buckets.map((b) => ({ id: b.id, label: b.label, amount: 0 }));
  for (const d of documents) {
    if (d.status !== 'open' || d.currency !== currency || d.open === 0) continue;
    const age = ageDocument(d, asOf, aging);
    const slot = age === null ? undefined : sums[age.bucketIndex];
    if (slot !== undefined) slot.amount += d.open;
  }
  return sums;
}

/**
 * Mean days late over the customer's settled invoices (paid date − due date, early payment as 0),
 * the same measure as kpi.ts's customerPaymentBehaviour; null without history.
 */
export function averageDaysLate(documents: readonly LedgerDocument[]): number | null {
  let n = 0;
  let sum = 0;
  for (const d of documents) {
    if (d.kind !== 'invoice' || d.paidDate === undefined) continue;
    sum += Math.max(0, dayOf(d.paidDate) - dayOf(d.dueDate));
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** When the oldest open invoice is likely paid: its due date plus the customer's usual lateness. */
export function expectedPayDateOf(documents: readonly LedgerDocument[], oldestDueDate: CalendarDate | undefined): CalendarDate | null {
  if (oldestDueDate === undefined) return null;
  return expectedPayDate(oldestDueDate, averageDaysLate(documents));
}
