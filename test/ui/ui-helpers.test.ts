/**
 * The UI's pure helpers: instalment plans, field-payment allocation, amounts typed by people, routes,
 * the account timeline, the account's aging, CSV headers and the escalation queue.
 */
import { describe, expect, it } from 'vitest';
import { agingOfDocuments, averageDaysLate, expectedPayDateOf } from '../../src/ui/account/account-figures';
import { linkFor } from '../../src/ui/account/contact-links';
import { allocateOldestFirst } from '../../src/ui/account/forms/PaymentForm';
import { planInstalments } from '../../src/ui/account/forms/instalments';
import { renderTemplate } from '../../src/ui/account/message-templates';
import { buildTimeline } from '../../src/ui/account/timeline';
import { formatDateTimeIn, formatRelative } from '../../src/ui/common/format';
import { parseMoneyInput } from '../../src/ui/common/money-input';
import { parseRoute, pathOf } from '../../src/ui/common/router';
import { csvHeader, lineCount } from '../../src/ui/manager/csv-header';
import { guessColumns, mappingJson } from '../../src/ui/manager/MappingBuilder';
import { resolveMapping } from '../../src/domain/import/mapping';
import { fact } from '../helpers/facts';
import { account, cents, date, invoice, payment, USD } from '../helpers/ledger-fixtures';

const P = 'acme';

describe('instalment plans', () => {
  it('splits the total exactly and moves the dates by the frequency (month ends clamp)', () => {
    const plan = planInstalments(10_000, '2025-01-31', 3, 'month');
    expect(plan.map((i) => i.amount)).toEqual([3334, 3333, 3333]);
    expect(plan.map((i) => i.dueDate)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
    expect(planInstalments(100, '2025-01-01', 2, 'fortnight').map((i) => i.dueDate)).toEqual(['2025-01-01', '2025-01-15']);
  });

  it('makes nothing from a bad date or a zero total', () => {
    expect(planInstalments(100, '2025-02-30', 2, 'week')).toEqual([]);
    expect(planInstalments(0, '2025-02-01', 2, 'week')).toEqual([]);
  });
});

describe('field payment allocation', () => {
  it('pays the oldest due invoices first, no more than each owes, no more than the payment', () => {
    const docs = [
      invoice(P, 'C1', 'new', { dueDate: date('2025-03-01'), open: cents(5000), original: cents(5000) }),
      invoice(P, 'C1', 'old', { dueDate: date('2025-01-01'), open: cents(3000), original: cents(3000) }),
    ];
    expect(allocateOldestFirst(docs, 4000)).toEqual([
      { documentNumber: 'old', amount: 3000 },
      { documentNumber: 'new', amount: 1000 },
    ]);
    expect(allocateOldestFirst(docs, 100_000).reduce((s, a) => s + a.amount, 0)).toBe(8000);
  });
});

describe('amounts typed by people', () => {
  it('reads a plain decimal and refuses more decimals than the currency has', () => {
    expect(parseMoneyInput('1234.5', 'USD')).toEqual({ ok: true, value: 123450 });
    expect(parseMoneyInput('1000', 'JPY')).toEqual({ ok: true, value: 1000 });
    expect(parseMoneyInput('10.005', 'USD').ok).toBe(false);
    expect(parseMoneyInput('', 'USD').ok).toBe(false);
  });
});

describe('formatting', () => {
  it('shows an instant in the debtor’s time zone with its name (Intl refuses timeZoneName beside dateStyle)', () => {
    expect(formatDateTimeIn('2025-06-30T15:00:00.000Z', 'America/Chicago')).toMatch(/10:00/);
  });

  it('never says a past event is in the future when the clock was read before it', () => {
    expect(formatRelative('2025-06-30T15:00:06.000Z', Date.parse('2025-06-30T15:00:00.000Z'), true)).not.toMatch(/in /);
  });
});

describe('routes', () => {
  it('parses and prints every screen, keeping account numbers exact', () => {
    for (const path of ['/', '/accounts/C%2F001', '/settings', '/sign-out', '/manager/import']) expect(pathOf(parseRoute(path))).toBe(path);
    expect(parseRoute('/accounts/C%2F001')).toEqual({ name: 'account', accountNumber: 'C/001' });
    expect(parseRoute('/manager/nope')).toEqual({ name: 'manager', tab: 'escalations' });
    expect(parseRoute('/whatever')).toEqual({ name: 'today' });
  });
});

describe('the account timeline', () => {
  it('merges facts and ledger events, newest first, a ledger day after the facts of that day', () => {
    const docs = [invoice(P, 'C1', 'I1', { issueDate: date('2025-01-01'), dueDate: date('2025-01-31'), paidDate: date('2025-03-01'), status: 'paid', open: cents(0) })];
    const pays = [payment(P, 'C1', 'p1', { receivedDate: date('2025-03-01') })];
    const facts = [fact('activity', { accountNumber: 'C1', at: '2025-03-01T10:00:00.000Z', channel: 'call', outcome: 'no-answer', documentNumbers: [] })];
    const items = buildTimeline(facts, docs, pays);
    expect(items.map((i) => i.title)).toEqual(['Call: No answer', 'Payment received', 'Invoice I1 settled', 'Invoice I1 issued']);
  });

  it('says what a resolution resolved, in the glossary’s words', () => {
    const dispute = fact('dispute', { at: '2025-03-01T10:00:00.000Z', documentNumbers: ['I1', 'I2'], reasonCode: 'pricing', currency: USD, amount: cents(5000) });
    const promise = fact('promise', { at: '2025-03-01T11:00:00.000Z', currency: USD, instalments: [{ dueDate: date('2025-03-10'), amount: cents(10000) }], graceDays: 3, documentNumbers: [] });
    const task = fact('task', { at: '2025-03-01T12:00:00.000Z', dueAt: '2025-03-05T09:00:00.000Z', assignee: 'ana', note: 'Check remittance' });
    const hold = fact('hold', { at: '2025-03-01T13:00:00.000Z', until: date('2025-04-01'), reason: 'Awaiting PO' });
    const later = [
      fact('dispute-resolved', { at: '2025-03-02T10:00:00.000Z', disputeId: dispute.id, outcome: 'upheld', note: 'Price list was wrong' }),
      fact('promise-cancelled', { at: '2025-03-02T11:00:00.000Z', promiseId: promise.id, reason: 'Replaced by a plan' }),
      fact('task-closed', { at: '2025-03-02T12:00:00.000Z', taskId: task.id, outcome: 'done' }),
      fact('hold-released', { at: '2025-03-02T13:00:00.000Z', holdId: hold.id }),
      fact('escalation-resolved', { at: '2025-03-02T14:00:00.000Z', escalationId: 'derived:broken-promise:x', note: 'Plan agreed' }),
    ];
    const items = buildTimeline([dispute, promise, task, hold, ...later], [], []).slice(0, 5);
    expect(items.map((i) => i.title)).toEqual(['Escalation resolved', 'Hold released', 'Tickler task done', 'Promise to pay cancelled', 'Dispute upheld']);
    expect(items[0]?.detail).toBe('broken promise to pay · Plan agreed');
    expect(items[1]?.detail).toMatch(/^whole account · was until .* · Awaiting PO$/);
    expect(items[2]?.detail).toMatch(/^was due .* · Check remittance$/);
    expect(items[3]?.detail).toMatch(/100.* due .* · reason: Replaced by a plan$/);
    expect(items[4]?.detail).toBe('Pricing dispute on I1, I2 · Price list was wrong');
  });
});

describe('the account header figures', () => {
  it('sums open documents of the main currency by aging bucket', () => {
    const docs = [
      invoice(P, 'C1', 'a', { dueDate: date('2025-06-01'), open: cents(100), original: cents(100) }),
      invoice(P, 'C1', 'b', { dueDate: date('2025-03-15'), open: cents(200), original: cents(200) }),
      invoice(P, 'C1', 'c', { dueDate: date('2025-07-15'), open: cents(50), original: cents(50) }),
    ];
    const byBucket = Object.fromEntries(agingOfDocuments(docs, 'USD', date('2025-06-30')).map((b) => [b.id, b.amount]));
    expect(byBucket).toMatchObject({ current: 50, '1-30': 100, '91-120': 200 });
  });

  it('expects payment at the due date plus the customer’s usual lateness', () => {
    const docs = [
      invoice(P, 'C1', 'p1', { dueDate: date('2025-01-01'), paidDate: date('2025-01-11'), status: 'paid', open: cents(0) }),
      invoice(P, 'C1', 'p2', { dueDate: date('2025-02-01'), paidDate: date('2025-01-25'), status: 'paid', open: cents(0) }),
    ];
    expect(averageDaysLate(docs)).toBe(5);
    expect(expectedPayDateOf(docs, date('2025-06-01'))).toBe('2025-06-06');
  });
});

describe('contact links', () => {
  const acct = account(P, 'C1');
  const msg = renderTemplate('second-notice', { customer: 'Acme', accountNumber: 'C1', pastDue: '$10.00', balance: '$10.00', invoices: 'I1', collector: 'Ana' });

  it('prefills e-mail and SMS from the strategy template and dials the number as digits', () => {
    expect(msg.subject).toBe('Second notice: $10.00 past due on account C1');
    expect(linkFor({ kind: 'phone', value: '+1 (212) 555-0100', consent: false, optedOut: false, atWork: false }, acct, msg)?.href).toBe('tel:+12125550100');
    const mail = linkFor({ kind: 'email', value: 'ap@acme.example', consent: true, optedOut: false, atWork: false }, acct, msg)?.href ?? '';
    expect(mail.startsWith('mailto:ap@acme.example?subject=Second%20notice')).toBe(true);
    expect(linkFor({ kind: 'sms', value: '+12125550100', consent: true, optedOut: false, atWork: false }, acct, msg)?.href).toMatch(/^sms:\+12125550100\?body=/);
  });

  it('offers no link on an opt-out, without SMS consent, or when the account is under cease or do-not-contact', () => {
    expect(linkFor({ kind: 'phone', value: '1', consent: true, optedOut: true, atWork: false }, acct, msg)).toEqual({ label: 'Call', blocked: 'Opted out' });
    expect(linkFor({ kind: 'sms', value: '1', consent: false, optedOut: false, atWork: false }, acct, msg)).toEqual({ label: 'Text', blocked: 'No consent' });
    const ceased = account(P, 'C2', { restrictions: { cease: true, doNotContact: false } });
    expect(linkFor({ kind: 'phone', value: '1', consent: true, optedOut: false, atWork: false }, ceased, msg)?.blocked).toBe('Cease communication');
  });
});

describe('the import wizard’s file and mapping helpers', () => {
  it('reads the header (quotes, BOM) and counts the rows', () => {
    const text = '\ufeffaccount_number,"Customer, name",due_date\r\nC1,"A, Inc.",2025-01-01\r\nC2,B,2025-01-02\r\n';
    expect(csvHeader(text)).toEqual(['account_number', 'Customer, name', 'due_date']);
    expect(lineCount(text)).toBe(2);
  });

  it('guesses plainly named columns, and a built mapping is one the engine accepts', () => {
    const header = ['Account Number', 'document_number', 'IssueDate', 'due_date', 'Amount', 'Currency'];
    const columns = guessColumns(header);
    expect(columns).toMatchObject({ accountNumber: 'Account Number', documentNumber: 'document_number', issueDate: 'IssueDate', dueDate: 'due_date', amount: 'Amount' });
    expect(resolveMapping(mappingJson({ delimiter: ',', dateFormat: 'YYYY-MM-DD', decimal: '.', currency: 'USD', columns })).ok).toBe(true);
  });
});
