import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REGULATION_F } from '../../src/domain/compliance';
import type { CollectionsContact, Ledger } from '../../src/domain/ledger';
import { IN_RUN, indexPortfolio, indexPortfolioRuns, indexPortfolioVisiting, runRows, type AccountSlice, type RunSlice } from '../../src/domain/portfolio-index';
import type { Fact } from '../../src/domain/facts';
import { fact } from '../helpers/facts';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist } from '../../src/domain/worklist';
import { account, invoice, payment } from '../helpers/ledger-fixtures';

const P = 'p1';

function contact(accountNumber: string, id: string, over: Partial<CollectionsContact> = {}): CollectionsContact {
  return { portfolioId: P, id, accountNumber, name: `Contact ${id}`, role: 'ap', primary: false, channels: [], ...over };
}

function ledger(): Ledger {
  return {
    portfolio: { id: P, name: 'Test' },
    accounts: [account(P, 'A1', { segment: 'consumer' }), account(P, 'A2')],
    contacts: [
      contact('A1', 'c1', { channels: [{ kind: 'phone', value: '+1 212 555 0100', consent: false, optedOut: true, atWork: false }] }),
      contact('A2', 'c2'),
      contact('A1', 'c3'),
    ],
    documents: [invoice(P, 'A1', 'I1'), invoice(P, 'A2', 'I2', { status: 'paid', open: 0 as never }), invoice(P, 'A1', 'I3')],
    payments: [payment(P, 'A2', 'pay1'), payment(P, 'A1', 'pay2')],
  };
}

describe('indexPortfolio', () => {
  it('puts each contact, document and payment in its account once', () => {
    const index = indexPortfolio(ledger(), []);
    expect(index.accounts.get('A1')?.contacts.map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(index.accounts.get('A2')?.contacts.map((c) => c.id)).toEqual(['c2']);
    expect(index.accounts.get('A1')?.documents.map((d) => d.number)).toEqual(['I1', 'I3']);
    expect(index.accounts.get('A2')?.documents.map((d) => d.number)).toEqual(['I2']);
    expect(index.accounts.get('A1')?.payments.map((p) => p.id)).toEqual(['pay2']);
    expect(index.accounts.get('A2')?.payments.map((p) => p.id)).toEqual(['pay1']);
    expect(indexPortfolio(ledger(), [], { openDocumentsOnly: true }).accounts.get('A2')?.documents).toEqual([]);
  });

  it('counts a phone number once in the opt-out sentence of the worklist', () => {
    const l = ledger();
    const wl = new Worklist(l, [], { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F }, '2013-03-15T15:00:00.000Z');
    const e = wl.entry('A1');
    // 43 days past due: the consumer strategy's call before the field visit, due now.
    expect(e?.decision.next?.channel).toBe('call');
    expect(e?.compliance).toMatchObject({ allowed: false, rule: 'channel-opt-out', reason: 'Channel opt-out: the only phone number on file is opted out.' });
  });
});

// ---------------------------------------------------------------------------------------------------
// indexPortfolioVisiting gives the index indexPortfolio gives (open documents only), and visits every
// slice after its last row arrived, whatever the order of the rows: grouped in the accounts' order (the
// walk), shuffled, with rows of unknown accounts, with an account listed twice.

interface Visited extends AccountSlice {
  visits: number;
  seen: string | undefined;
}

const lists = (s: AccountSlice) => JSON.stringify([s.contacts.map((c) => c.id), s.documents.map((d) => d.number), s.payments.map((p) => p.id), s.facts.map((f) => f.id)]);

const rowsArb = fc.record({
  accounts: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 0, maxLength: 8 }),
  // Each row: the account it names (8 and 9 are not in the ledger), and for documents whether open.
  contacts: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }),
  documents: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()), { maxLength: 20 }),
  payments: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }),
  facts: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 16 }),
  grouped: fc.boolean(),
  unique: fc.boolean(),
});

type Rows = typeof rowsArb extends fc.Arbitrary<infer T> ? T : never;

function build(r: Rows): { ledger: Ledger; facts: Fact[] } {
  const n = (i: number) => `A${i}`;
  const accounts = r.unique ? [...new Set(r.accounts)] : r.accounts;
  // Grouped: rows in the ledger's account order (the common case the walk is for), rows of unknown
  // accounts where they fall by number; else in the drawn order.
  const rank = (i: number) => (accounts.includes(i) ? accounts.indexOf(i) : i - 0.5);
  const order = <T>(xs: T[], key: (x: T) => number) => (r.grouped ? [...xs].sort((a, b) => rank(key(a)) - rank(key(b))) : xs);
  const ledger: Ledger = {
    portfolio: { id: P, name: 'Test' },
    accounts: accounts.map((i) => account(P, n(i))),
    contacts: order(r.contacts, (i) => i).map((i, k) => contact(n(i), `c${k}`)),
    documents: order(r.documents, ([i]) => i).map(([i, open], k) => invoice(P, n(i), `I${k}`, open ? {} : { status: 'paid', open: 0 as never })),
    payments: order(r.payments, (i) => i).map((i, k) => payment(P, n(i), `p${k}`)),
  };
  const facts = order(r.facts, (i) => i).map((i, k) => fact('assignment', { accountNumber: n(i), collector: 'u-ana', id: `F${String(k).padStart(3, '0')}` }));
  return { ledger, facts };
}

describe('indexPortfolioVisiting', () => {
  it('groups as indexPortfolio does and visits each slice once it is complete', () => {
    fc.assert(
      fc.property(rowsArb, (r) => {
        const { ledger, facts } = build(r);
        const plain = indexPortfolio(ledger, facts, { openDocumentsOnly: true });
        const visiting = indexPortfolioVisiting<Visited>(
          ledger,
          facts,
          (a, pending) => ({ account: a, contacts: pending, documents: pending, payments: pending, facts: pending, visits: 0, seen: undefined }),
          (s) => {
            s.visits++;
            s.seen = lists(s);
          },
          (s) => s.visits > 0,
        );
        expect([...visiting.accounts.keys()]).toEqual([...plain.accounts.keys()]);
        expect(visiting.orphanFacts.map((f) => f.id)).toEqual(plain.orphanFacts.map((f) => f.id));
        for (const [key, s] of visiting.accounts) {
          const p = plain.accounts.get(key) as AccountSlice;
          expect(s.account).toBe(p.account);
          expect(lists(s)).toBe(lists(p));
          expect(s.visits).toBeGreaterThan(0);
          expect(s.seen).toBe(lists(s));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('with run slices, groups as indexPortfolio does (runs made arrays), and a slice is complete when visited', () => {
    fc.assert(
      fc.property(rowsArb, (r) => {
        const { ledger, facts } = build(r);
        const plain = indexPortfolio(ledger, facts, { openDocumentsOnly: true });
        let runsWhileVisiting = 0;
        const index = indexPortfolioRuns<RunSlice & { visits: number; seen: string | undefined }>(
          ledger,
          facts,
          (a, pending) => ({ account: a, contacts: pending, documents: pending, payments: pending, facts: pending, contactFrom: 0, contactTo: 0, paymentFrom: 0, paymentTo: 0, factFrom: 0, factTo: 0, visits: 0, seen: undefined }),
          (s, runs) => {
            s.visits++;
            if (s.contacts === IN_RUN || s.payments === IN_RUN || s.facts === IN_RUN) runsWhileVisiting++;
            // What the visit sees, runs read where they lie (without making them arrays).
            const of = <T>(list: readonly T[], rows: readonly T[], from: number, to: number) => (list === IN_RUN ? rows.slice(from, to) : list);
            s.seen = lists({
              ...s,
              contacts: of(s.contacts, runs.contacts, s.contactFrom, s.contactTo),
              payments: of(s.payments, runs.payments, s.paymentFrom, s.paymentTo),
              facts: of(s.facts, runs.facts, s.factFrom, s.factTo),
            } as unknown as AccountSlice);
          },
          (s) => s.visits > 0,
        );
        expect([...index.accounts.keys()]).toEqual([...plain.accounts.keys()]);
        expect(index.orphanFacts.map((f) => f.id)).toEqual(plain.orphanFacts.map((f) => f.id));
        for (const [key, s] of index.accounts) {
          expect(s.visits).toBeGreaterThan(0);
          const seen = s.seen;
          for (const list of ['contacts', 'payments', 'facts'] as const) runRows(index.runs, s, list);
          expect(lists(s)).toBe(lists(plain.accounts.get(key) as AccountSlice));
          expect(seen).toBe(lists(s));
        }
        const numbers = ledger.accounts.map((a) => a.number);
        expect(index.ascending === true).toBe(numbers.every((x, i) => i === 0 || (numbers[i - 1] as string) < x));
        // Grouped rows of a ledger without duplicate accounts are walked: lists are runs when visited.
        if (r.grouped && r.unique && ledger.accounts.length > 0) expect(runsWhileVisiting).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('visits each slice once when every list is grouped in the accounts order', () => {
    const l = ledger();
    const byAccount = <T extends { accountNumber: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : a.accountNumber > b.accountNumber ? 1 : 0));
    const grouped: Ledger = { ...l, contacts: byAccount(l.contacts), documents: byAccount(l.documents), payments: byAccount(l.payments) };
    const visits = new Map<string, number>();
    const index = indexPortfolioVisiting(
      grouped,
      [],
      (a, pending): AccountSlice => ({ account: a, contacts: pending, documents: pending, payments: pending, facts: pending }),
      (s) => visits.set(s.account.number, (visits.get(s.account.number) ?? 0) + 1),
      (s) => visits.has(s.account.number),
    );
    expect([...visits]).toEqual([
      ['A1', 1],
      ['A2', 1],
    ]);
    expect(index.accounts.get('A1')?.documents.map((d) => d.number)).toEqual(['I1', 'I3']);
  });
});
