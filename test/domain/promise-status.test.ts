/**
 * Promise statuses from the ledger's payments, checked against an independent reference: a day-by-day
 * simulation that pours each day's counted payments into the instalments in order and looks at each
 * instalment at the end of its last grace day. The fold does the same with cumulative sums and one walk,
 * so the two share no code but the calendar.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { InstalmentStatus, PromiseState, PromiseStatus } from '../../src/domain/account-state';
import { type CalendarDate, addDays, dateOfDay, dayOf } from '../../src/domain/calendar';
import type { Fact, PromiseFact } from '../../src/domain/facts';
import { foldAccount } from '../../src/domain/folds';
import type { Payment } from '../../src/domain/ledger';
import type { CurrencyCode, Minor } from '../../src/domain/money';
import { fact, testUlid } from '../helpers/facts';

const d = (s: string) => s as CalendarDate;
const ACCOUNT = 'C1';
const USD = 'USD' as CurrencyCode;

function payment(receivedDate: string, amount: number, extra: Partial<Payment> = {}): Payment {
  return {
    portfolioId: 'acme',
    id: `PAY-${receivedDate}-${amount}-${extra.currency ?? 'USD'}-${extra.accountNumber ?? ACCOUNT}`,
    accountNumber: ACCOUNT,
    receivedDate: d(receivedDate),
    currency: 'USD' as CurrencyCode,
    amount: amount as Minor,
    method: 'transfer',
    reference: '',
    allocations: [],
    ...extra,
  };
}

function promise(at: string, instalments: readonly (readonly [string, number])[], graceDays = 3, extra: Partial<PromiseFact> = {}): PromiseFact {
  return fact('promise', {
    at,
    currency: USD,
    instalments: instalments.map(([dueDate, amount]) => ({ dueDate: d(dueDate), amount: amount as Minor })),
    graceDays,
    documentNumbers: [],
    ...extra,
  });
}

function fold(facts: readonly Fact[], payments: readonly Payment[], asOf: string) {
  return foldAccount({ accountNumber: ACCOUNT, facts, documents: [], payments, asOf });
}

function only(facts: readonly Fact[], payments: readonly Payment[], asOf: string): PromiseState {
  const p = fold(facts, payments, asOf).promises[0];
  if (p === undefined) throw new Error('no promise folded');
  return p;
}

// ---------------------------------------------------------------------------------------------------
// The reference

interface Reference {
  readonly status: PromiseStatus;
  readonly instalments: readonly { status: InstalmentStatus; paid: number; graceEnds: string }[];
  readonly paid: number;
  readonly nextDueDate?: string;
  readonly failedOn?: string;
}

function reference(p: PromiseFact, payments: readonly Payment[], asOfDate: string): Reference {
  const takenOn = dayOf(p.at.slice(0, 10));
  const graceEnd = p.instalments.map((i) => dayOf(i.dueDate) + p.graceDays);
  const fill = p.instalments.map(() => 0);
  // What each instalment held at the end of its last grace day (if that day came by asOf).
  const atGrace: (number | undefined)[] = p.instalments.map(() => undefined);
  const last = dayOf(asOfDate);
  const first = Math.min(takenOn, ...graceEnd);
  for (let day = first; day <= last; day++) {
    if (day >= takenOn) {
      for (const pay of payments) {
        if (pay.accountNumber !== ACCOUNT || pay.currency !== p.currency || dayOf(pay.receivedDate) !== day) continue;
        let left: number = pay.amount;
        for (let j = 0; j < fill.length && left > 0; j++) {
          const room = (p.instalments[j]?.amount ?? 0) - (fill[j] ?? 0);
          const take = Math.min(room, left);
          fill[j] = (fill[j] ?? 0) + take;
          left -= take;
        }
      }
    }
    graceEnd.forEach((g, j) => {
      if (g === day) atGrace[j] = fill[j];
    });
  }
  const instalments = p.instalments.map((inst, j) => {
    const g = graceEnd[j] ?? 0;
    const held = atGrace[j];
    let status: InstalmentStatus;
    if (g < last) status = held === inst.amount ? 'kept' : (held ?? 0) > 0 ? 'partially-kept' : 'broken';
    else status = fill[j] === inst.amount ? 'kept' : 'pending';
    return { status, paid: fill[j] ?? 0, graceEnds: dateOfDay(g) };
  });
  const failing = instalments.findIndex((i) => i.status === 'broken' || i.status === 'partially-kept');
  const pending = instalments.findIndex((i) => i.status === 'pending');
  const paid = fill.reduce((a, b) => a + b, 0);
  if (failing >= 0 && (pending < 0 || failing < pending)) {
    const f = instalments[failing];
    if (f === undefined) throw new Error('unreachable');
    return { status: f.status as PromiseStatus, instalments, paid, failedOn: dateOfDay((graceEnd[failing] ?? 0) + 1) };
  }
  if (pending >= 0) return { status: 'open', instalments, paid, nextDueDate: p.instalments[pending]?.dueDate ?? '' };
  return { status: 'kept', instalments, paid };
}

function comparable(s: PromiseState): Reference {
  const r: { -readonly [K in keyof Reference]: Reference[K] } = {
    status: s.status,
    instalments: s.instalments.map((i) => ({ status: i.status, paid: i.paid, graceEnds: i.graceEnds })),
    paid: s.paid,
  };
  if (s.nextDueDate !== undefined) r.nextDueDate = s.nextDueDate;
  if (s.failedOn !== undefined) r.failedOn = s.failedOn;
  return r;
}

// ---------------------------------------------------------------------------------------------------

const BASE_DAY = dayOf('2026-03-01');

const scenario = fc
  .record({
    takenHour: fc.integer({ min: 0, max: 23 }),
    graceDays: fc.integer({ min: 0, max: 6 }),
    // Gaps between due dates (the first from the taken day, possibly before it: a backdated plan).
    dueGaps: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 4 }),
    firstDue: fc.integer({ min: -3, max: 20 }),
    amounts: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 4, maxLength: 4 }),
    payments: fc.array(
      fc.record({
        offset: fc.integer({ min: -10, max: 90 }),
        amount: fc.integer({ min: 1, max: 600 }),
        currency: fc.constantFrom('USD', 'USD', 'USD', 'USD', 'EUR'),
        otherAccount: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
      { maxLength: 8 },
    ),
    asOfOffset: fc.integer({ min: 0, max: 110 }),
  })
  .map((s) => {
    const taken = dateOfDay(BASE_DAY);
    let due = BASE_DAY + s.firstDue;
    const instalments: [string, number][] = s.dueGaps.map((gap, i) => {
      if (i > 0) due += gap;
      return [dateOfDay(due), s.amounts[i] ?? 1];
    });
    const p = promise(`${taken}T${String(s.takenHour).padStart(2, '0')}:15:00.000Z`, instalments, s.graceDays);
    const payments = s.payments.map((x) =>
      payment(dateOfDay(BASE_DAY + x.offset), x.amount, { currency: x.currency as CurrencyCode, ...(x.otherAccount ? { accountNumber: 'C2' } : {}) }),
    );
    const asOfDate = dateOfDay(BASE_DAY + s.asOfOffset);
    return { p, payments, asOfDate, asOf: `${asOfDate}T23:59:59.000Z` };
  });

describe('promise status against a day-by-day reference', () => {
  it('agrees on every instalment and on the promise for random plans and payments', () => {
    fc.assert(
      fc.property(scenario, ({ p, payments, asOfDate, asOf }) => {
        expect(comparable(only([p], payments, asOf))).toEqual(reference(p, payments, asOfDate));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('does not depend on the order of the payments', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.shuffledSubarray(s.payments, { minLength: s.payments.length, maxLength: s.payments.length }).map((shuffled) => ({ ...s, shuffled }))),
        ({ p, payments, shuffled, asOf }) => {
          expect(only([p], shuffled, asOf)).toEqual(only([p], payments, asOf));
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('promise status edges', () => {
  const taken = '2026-03-01T10:00:00.000Z';
  // One instalment of 100 due 03-10, grace 3: grace ends 03-13.
  const single = promise(taken, [['2026-03-10', 100]], 3);
  const late = '2026-04-30T12:00:00.000Z';

  it('keeps with a payment on the last grace day, not with one the day after', () => {
    expect(only([single], [payment('2026-03-13', 100)], late)).toMatchObject({ status: 'kept', paid: 100 });
    const s = only([single], [payment('2026-03-14', 100)], late);
    expect(s).toMatchObject({ status: 'broken', failedOn: '2026-03-14' });
    // Paid late: the money is still shown against the instalment, the status stays broken.
    expect(s.instalments[0]).toMatchObject({ status: 'broken', paid: 100, graceEnds: '2026-03-13' });
  });

  it('is open through the last grace day and fails the day after', () => {
    expect(only([single], [], '2026-03-13T23:59:59.000Z')).toMatchObject({ status: 'open', nextDueDate: '2026-03-10' });
    expect(only([single], [], '2026-03-14T00:00:00.000Z')).toMatchObject({ status: 'broken', failedOn: '2026-03-14' });
  });

  it('keeps as soon as it is paid, before the due date', () => {
    const s = only([single], [payment('2026-03-02', 100)], '2026-03-03T09:00:00.000Z');
    expect(s.status).toBe('kept');
    expect(s.nextDueDate).toBeUndefined();
  });

  it('counts payments from the day the promise was taken (UTC), not before', () => {
    expect(only([single], [payment('2026-02-28', 100)], late).status).toBe('broken');
    expect(only([single], [payment('2026-03-01', 100)], late).status).toBe('kept');
    // Taken late in the UTC day: a payment that day still counts, the day before does not.
    const evening = promise('2026-03-01T23:59:00.000Z', [['2026-03-10', 100]], 3);
    expect(only([evening], [payment('2026-03-01', 100)], late).status).toBe('kept');
  });

  it('ignores payments in another currency and other accounts', () => {
    expect(only([single], [payment('2026-03-05', 100, { currency: 'EUR' as CurrencyCode })], late).status).toBe('broken');
    expect(only([single], [payment('2026-03-05', 100, { accountNumber: 'C2' })], late).status).toBe('broken');
  });

  it('counts payments whoever took them: ledger payments have no author', () => {
    const byBen = promise(taken, [['2026-03-10', 100]], 3, { by: 'u-ben', deviceId: 'dev-ben-phone' });
    expect(only([byBen], [payment('2026-03-10', 60), payment('2026-03-11', 40)], late).status).toBe('kept');
  });

  it('is partially kept when some but not all was paid by the grace end', () => {
    const s = only([single], [payment('2026-03-12', 40)], late);
    expect(s).toMatchObject({ status: 'partially-kept', failedOn: '2026-03-14', paid: 40 });
  });

  it('flows an overpayment to the next instalment', () => {
    const plan = promise(taken, [['2026-03-10', 100], ['2026-04-10', 100], ['2026-05-10', 100]], 0);
    const s = only([plan], [payment('2026-03-09', 250)], '2026-05-11T00:00:00.000Z');
    expect(s.instalments.map((i) => [i.status, i.paid])).toEqual([
      ['kept', 100],
      ['kept', 100],
      ['partially-kept', 50],
    ]);
    expect(s).toMatchObject({ status: 'partially-kept', failedOn: '2026-05-11', paid: 250, promised: 300 });
  });

  it('fills a short instalment first with a late payment, so the next one may still fail', () => {
    const plan = promise(taken, [['2026-03-10', 100], ['2026-04-10', 100]], 0);
    // 50 on time, then 100 before the second due date: 50 completes the first (late), 50 goes to the second.
    const s = only([plan], [payment('2026-03-10', 50), payment('2026-04-01', 100)], '2026-05-01T00:00:00.000Z');
    expect(s.instalments.map((i) => [i.status, i.paid])).toEqual([
      ['partially-kept', 100],
      ['partially-kept', 50],
    ]);
    expect(s.status).toBe('partially-kept');
    expect(s.failedOn).toBe('2026-03-11');
  });

  it('is decided by the first failing instalment', () => {
    const plan = promise(taken, [['2026-03-10', 100], ['2026-04-10', 100]], 0);
    const s = only([plan], [payment('2026-04-05', 200)], '2026-05-01T00:00:00.000Z');
    expect(s.instalments.map((i) => i.status)).toEqual(['broken', 'kept']);
    expect(s).toMatchObject({ status: 'broken', failedOn: '2026-03-11' });
  });

  it('shows the next pending instalment while open', () => {
    const plan = promise(taken, [['2026-03-10', 100], ['2026-04-10', 100]], 2);
    const s = only([plan], [payment('2026-03-10', 100)], '2026-03-20T00:00:00.000Z');
    expect(s).toMatchObject({ status: 'open', nextDueDate: '2026-04-10', paid: 100 });
    expect(s.failedOn).toBeUndefined();
  });

  it('ignores payments received after asOf', () => {
    expect(only([single], [payment('2026-03-12', 100)], '2026-03-11T12:00:00.000Z').status).toBe('open');
  });
});

describe('superseded and cancelled', () => {
  const first = promise('2026-03-01T10:00:00.000Z', [['2026-03-10', 100]], 3, { id: testUlid(Date.parse('2026-03-01T10:00:00.000Z'), 1) });
  const later = (at: string, id = 2) => promise(at, [['2026-04-10', 100]], 3, { id: testUlid(Date.parse(at), id) });
  const asOf = '2026-03-20T12:00:00.000Z';

  it('supersedes a promise still open when the next one is taken, even on its last grace day', () => {
    const next = later('2026-03-13T16:00:00.000Z');
    const s = fold([first, next], [], asOf);
    expect(s.promises.map((p) => p.status)).toEqual(['superseded', 'open']);
    expect(s.promises[0]?.failedOn).toBeUndefined();
    expect(s.currentPromise?.id).toBe(next.id);
  });

  it('leaves a broken promise broken when the next one is taken on or after the day it failed', () => {
    const next = later('2026-03-14T08:00:00.000Z');
    const s = fold([first, next], [], asOf);
    expect(s.promises.map((p) => p.status)).toEqual(['broken', 'open']);
    expect(s.currentPromise?.id).toBe(next.id);
  });

  it('leaves a kept promise kept, also when the next one is taken the day it was kept', () => {
    const next = later('2026-03-05T08:00:00.000Z');
    // Payments have no time of day: one received the day the next promise is taken counts for both.
    expect(fold([first, next], [payment('2026-03-05', 100)], asOf).promises.map((p) => p.status)).toEqual(['kept', 'kept']);
    expect(fold([first, next], [payment('2026-03-06', 100)], asOf).promises.map((p) => p.status)).toEqual(['superseded', 'kept']);
  });

  it('orders promises taken at the same instant by id', () => {
    const a = promise('2026-03-01T10:00:00.000Z', [['2026-03-10', 100]], 3, { id: testUlid(1, 5) });
    const b = promise('2026-03-01T10:00:00.000Z', [['2026-03-12', 100]], 3, { id: testUlid(1, 4) });
    const s = fold([a, b], [], '2026-03-02T00:00:00.000Z');
    expect(s.promises.map((p) => [p.id, p.status])).toEqual([
      [b.id, 'superseded'],
      [a.id, 'open'],
    ]);
  });

  it('cancels a promise named by a cancellation, and a cancelled promise supersedes nothing', () => {
    const next = later('2026-03-05T08:00:00.000Z');
    const cancelNext = fact('promise-cancelled', { at: '2026-03-06T08:00:00.000Z', promiseId: next.id, reason: 'entered in error' });
    const s = fold([first, next, cancelNext], [], asOf);
    expect(s.promises.map((p) => p.status)).toEqual(['broken', 'cancelled']);
    expect(s.currentPromise?.id).toBe(first.id);
    const cancelFirst = fact('promise-cancelled', { at: '2026-03-02T08:00:00.000Z', promiseId: first.id, reason: 'debtor withdrew' });
    const t = fold([first, cancelFirst], [payment('2026-03-05', 100)], asOf);
    expect(t.promises[0]?.status).toBe('cancelled');
    expect(t.currentPromise).toBeUndefined();
  });

  it('ignores a cancellation dated after asOf', () => {
    const cancel = fact('promise-cancelled', { at: '2026-03-25T08:00:00.000Z', promiseId: first.id, reason: 'x' });
    expect(fold([first, cancel], [], asOf).promises[0]?.status).toBe('broken');
  });

  it('judges a chain by the nearest later promise that is not cancelled', () => {
    const second = later('2026-03-05T08:00:00.000Z', 2);
    const third = later('2026-03-06T08:00:00.000Z', 3);
    const cancelThird = fact('promise-cancelled', { at: '2026-03-07T08:00:00.000Z', promiseId: third.id, reason: 'entered in error' });
    const s = fold([third, first, cancelThird, second], [], asOf);
    expect(s.promises.map((p) => [p.id, p.status])).toEqual([
      [first.id, 'superseded'],
      [second.id, 'open'],
      [third.id, 'cancelled'],
    ]);
    expect(s.currentPromise?.id).toBe(second.id);
  });

  it('makes the newest promise current even when it is already kept or broken', () => {
    expect(fold([first], [], asOf).currentPromise?.status).toBe('broken');
    expect(fold([first], [payment('2026-03-02', 100)], asOf).currentPromise?.status).toBe('kept');
  });

  it('counts grace days across month and year ends and leap days', () => {
    const cases: [string, number, string][] = [
      ['2026-03-30', 3, '2026-04-02'],
      ['2026-03-25', 3, '2026-03-28'],
      ['2026-03-26', 3, '2026-03-29'],
      ['2028-02-27', 3, '2028-03-01'],
      ['2027-02-27', 1, '2027-02-28'],
      ['2027-02-28', 1, '2027-03-01'],
      ['2026-12-30', 3, '2027-01-02'],
      ['2026-12-09', 0, '2026-12-09'],
      ['2026-12-09', 60, '2027-02-07'],
    ];
    for (const [due, grace, ends] of cases) {
      const p = promise('2026-03-01T10:00:00.000Z', [[due, 100]], grace);
      const s = only([p], [], '2029-01-01T00:00:00.000Z');
      expect(s.instalments[0]?.graceEnds).toBe(ends);
      expect(s.failedOn).toBe(addDays(d(ends), 1));
    }
  });
});

describe('field receipts count toward promises until the ERP posts them', () => {
  const taken = '2026-11-02T10:00:00.000Z';
  const receipt = (receiptNumber: string, receivedDate: string, amount: number, at = '2026-11-05T15:00:00.000Z') =>
    fact('field-receipt', { at, receiptNumber, receivedDate: d(receivedDate), currency: USD, amount: amount as Minor, method: 'cash', reference: '', allocations: [] });

  it('an unposted field receipt keeps the promise and is shown as unposted', () => {
    const facts = [promise(taken, [['2026-11-06', 500]]), receipt('R-100', '2026-11-05', 500)];
    const state = fold(facts, [], '2026-11-20T12:00:00.000Z');
    expect(state.promises[0]?.status).toBe('kept');
    expect(state.fieldReceipts.map((r) => r.status)).toEqual(['unposted']);
  });

  it('once a ledger payment carries the receipt number, the payment counts and the receipt is not counted again', () => {
    const facts = [promise(taken, [['2026-11-06', 1000]]), receipt('R-100', '2026-11-05', 500)];
    // Posted late by the ERP with the receipt number as reference: the promise sees 500, not 1,000.
    const posted = payment('2026-11-05', 500, { reference: 'R-100' });
    const state = fold(facts, [posted], '2026-11-20T12:00:00.000Z');
    expect(state.fieldReceipts.map((r) => r.status)).toEqual(['posted']);
    expect(state.promises[0]?.status).toBe('partially-kept');
  });

  it('a second receipt with the same number is a duplicate and counts once, whichever device wrote it first', () => {
    const a = receipt('R-7', '2026-11-05', 500, '2026-11-05T15:00:00.000Z');
    const b = receipt('R-7', '2026-11-05', 500, '2026-11-05T16:00:00.000Z');
    const p = promise(taken, [['2026-11-06', 1000]]);
    for (const facts of [[p, a, b], [b, p, a]]) {
      const state = fold(facts, [], '2026-11-20T12:00:00.000Z');
      expect(state.fieldReceipts.map((r) => [r.id, r.status])).toEqual([[a.id, 'unposted'], [b.id, 'duplicate']]);
      expect(state.promises[0]?.status).toBe('partially-kept');
    }
  });

  it('a receipt in another currency than the posted payment stays unposted', () => {
    const facts = [promise(taken, [['2026-11-06', 500]]), receipt('R-9', '2026-11-05', 500)];
    const state = fold(facts, [payment('2026-11-05', 500, { reference: 'R-9', currency: 'EUR' as CurrencyCode })], '2026-11-20T12:00:00.000Z');
    expect(state.fieldReceipts[0]?.status).toBe('unposted');
    expect(state.promises[0]?.status).toBe('kept');
  });
});
