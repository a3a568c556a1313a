/**
 * One timeline of an account: the team's facts and the ledger's events (invoices issued and paid,
 * payments received), newest first. Ledger events have a day, not an instant: they sort as the start
 * of their day (UTC), before anything the team did that day.
 */
import type { Fact } from '../../domain/facts';
import type { LedgerDocument, Payment } from '../../domain/ledger';
import { CHANNEL_LABELS, FACT_LABELS, outcomeLabel } from '../common/labels';
import { formatDate, formatDateTime, formatMoney } from '../common/format';

export interface TimelineItem {
  readonly key: string;
  /** Sort key: an instant, or a date's start of day. */
  readonly at: string;
  /** A calendar date for ledger events (no time of day), else undefined. */
  readonly date?: string;
  readonly title: string;
  readonly detail: string;
  readonly by?: string;
  readonly source: 'team' | 'ledger';
}

export function describeFact(f: Fact): { title: string; detail: string } {
  const title = FACT_LABELS[f.type] ?? f.type;
  switch (f.type) {
    case 'activity':
      return { title: `${CHANNEL_LABELS[f.channel]}: ${outcomeLabel(f.outcome)}`, detail: [f.note, f.callbackAt && `callback ${formatDateTime(f.callbackAt)}`].filter(Boolean).join(' · ') };
    case 'promise': {
      const total = f.instalments.reduce((s, i) => s + i.amount, 0);
      const first = f.instalments[0];
      const plan = f.instalments.length === 1 ? `due ${first === undefined ? '' : formatDate(first.dueDate)}` : `${f.instalments.length} instalments from ${first === undefined ? '' : formatDate(first.dueDate)}`;
      return { title, detail: `${formatMoney(total, f.currency)} ${plan}${f.note === undefined ? '' : ` · ${f.note}`}` };
    }
    case 'promise-cancelled':
      return { title, detail: f.reason };
    case 'dispute':
      return { title, detail: `${f.documentNumbers.join(', ')} · ${f.reasonCode.replace(/-/g, ' ')} · ${formatMoney(f.amount, f.currency)}${f.note === undefined ? '' : ` · ${f.note}`}` };
    case 'dispute-resolved':
      return { title, detail: `${f.outcome}${f.note === undefined ? '' : ` · ${f.note}`}` };
    case 'escalation':
      return { title, detail: `${f.reason}${f.toRole === undefined ? '' : ` → ${f.toRole}`}${f.toUser === undefined ? '' : ` → ${f.toUser}`}` };
    case 'escalation-resolved':
      return { title, detail: f.note ?? '' };
    case 'task':
      return { title: 'Follow-up scheduled', detail: `due ${formatDateTime(f.dueAt)} for ${f.assignee}${f.note === '' ? '' : ` · ${f.note}`}` };
    case 'task-closed':
      return { title, detail: f.outcome };
    case 'hold':
      return { title, detail: `until ${formatDate(f.until)} · ${f.reason}${f.documentNumbers === undefined ? '' : ` · ${f.documentNumbers.join(', ')}`}` };
    case 'assignment':
      return { title, detail: f.collector === null ? 'unassigned' : `to ${f.collector}` };
    case 'claim':
      return { title, detail: `until ${formatDateTime(f.expiresAt)}` };
    case 'strategy-override':
      return { title, detail: `${f.strategyId ?? 'back to the segment’s strategy'}${f.reason === '' ? '' : ` · ${f.reason}`}` };
    case 'field-receipt':
      return { title, detail: `${formatMoney(f.amount, f.currency)} by ${f.method}, receipt ${f.receiptNumber}${f.reference === '' ? '' : ` (${f.reference})`}` };
    case 'hold-released':
    case 'claim-released':
      return { title, detail: '' };
  }
}

export function buildTimeline(facts: readonly Fact[], documents: readonly LedgerDocument[], payments: readonly Payment[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const f of facts) items.push({ key: f.id, at: f.at, ...describeFact(f), by: f.by, source: 'team' });
  for (const d of documents) {
    const what = d.kind === 'invoice' ? 'Invoice' : 'Credit note';
    items.push({ key: `issued:${d.number}`, at: `${d.issueDate}T00:00:00.000Z`, date: d.issueDate, title: `${what} ${d.number} issued`, detail: `${formatMoney(d.original, d.currency)}, due ${formatDate(d.dueDate)}`, source: 'ledger' });
    if (d.paidDate !== undefined)
      items.push({ key: `paid:${d.number}`, at: `${d.paidDate}T00:00:00.000Z`, date: d.paidDate, title: `${what} ${d.number} settled`, detail: '', source: 'ledger' });
  }
  for (const p of payments)
    items.push({
      key: `payment:${p.id}`,
      at: `${p.receivedDate}T00:00:00.000Z`,
      date: p.receivedDate,
      title: 'Payment received',
      detail: `${formatMoney(p.amount, p.currency)} by ${p.method}${p.reference === '' ? '' : ` (${p.reference})`}${p.allocations.length > 0 ? ` → ${p.allocations.map((a) => a.documentNumber).join(', ')}` : ''}`,
      source: 'ledger',
    });
  // Newest first; a ledger day sorts after the team's facts of that day (it is their start).
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? 1 : -1));
}
