import { describe, expect, it } from 'vitest';
import type { PromiseStatus } from '../../src/domain/account-state';
import type { CalendarDate } from '../../src/domain/calendar';
import { type Fact, type FactType, factSchema } from '../../src/domain/facts';
import { foldAccount } from '../../src/domain/folds';
import { type LedgerDocument, type Payment, documentKey } from '../../src/domain/ledger';
import { Prng } from '../../sync-server/demo/prng';
import { DEFAULT_COLLECTORS, TEAM_LEAD, countFactsByType, generateFacts, ulidAt } from '../../sync-server/demo/synthetic-facts';
import { generatePortfolio } from '../../sync-server/demo/synthetic';

const asOfDate = '2025-06-30' as CalendarDate;
const asOf = '2025-06-30T17:30:00.000Z';
const ledger = generatePortfolio({ portfolioId: 'demo', accounts: 300, seed: 7, asOf: asOfDate });
const facts = generateFacts(ledger, { seed: 11, asOf });

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulidTime(id: string): number {
  let t = 0;
  for (const c of id.slice(0, 10)) t = t * 32 + CROCKFORD.indexOf(c);
  return t;
}

function byAccount<T extends { accountNumber: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const l = m.get(r.accountNumber);
    if (l === undefined) m.set(r.accountNumber, [r]);
    else l.push(r);
  }
  return m;
}

describe('generateFacts', () => {
  it('is deterministic by seed, and another seed gives other facts', () => {
    expect(generateFacts(ledger, { seed: 11, asOf })).toEqual(facts);
    const other = generateFacts(ledger, { seed: 12, asOf });
    expect(other.map((f) => f.id)).not.toEqual(facts.map((f) => f.id));
  });

  it('makes about perAccount facts per account', () => {
    const perAccount = facts.length / ledger.accounts.length;
    expect(perAccount).toBeGreaterThan(7);
    expect(perAccount).toBeLessThan(13);
    const few = generateFacts(ledger, { seed: 11, asOf, perAccount: 3 });
    expect(few.length / ledger.accounts.length).toBeGreaterThan(2);
    expect(few.length / ledger.accounts.length).toBeLessThan(4.5);
    expect(generateFacts(ledger, { seed: 11, asOf, perAccount: 0 }).filter((f) => f.type !== 'assignment')).toEqual([]);
  });

  it('writes only facts that pass factSchema unchanged', () => {
    for (const f of facts) {
      const parsed = factSchema.safeParse(f);
      if (!parsed.success) throw new Error(`${f.type} ${f.id}: ${parsed.error.message}`);
      // Nothing stripped, nothing defaulted: the generator writes what a device would store.
      expect(parsed.data).toEqual(f);
    }
  });

  it('dates every fact at or before asOf, with unique ULIDs that carry its time', () => {
    const ids = new Set<string>();
    for (const f of facts) {
      expect(f.at <= asOf).toBe(true);
      expect(f.at >= '2025-03-01').toBe(true);
      expect(ulidTime(f.id)).toBe(Date.parse(f.at));
      ids.add(f.id);
    }
    expect(ids.size).toBe(facts.length);
  });

  it('works only on accounts of the ledger, in their currency, on their documents', () => {
    const accounts = new Set(ledger.accounts.map((a) => a.number));
    const docs = new Map<string, LedgerDocument>(ledger.documents.map((d) => [documentKey(d), d]));
    const currency = new Map(ledger.documents.map((d) => [d.accountNumber, d.currency]));
    const contacts = new Set(ledger.contacts.map((c) => `${c.accountNumber}/${c.id}`));
    const invoice = (f: Fact, n: string) => {
      const d = docs.get(documentKey({ accountNumber: f.accountNumber, number: n }));
      expect(d, `${f.type} ${f.id} names ${n}, not a document of ${f.accountNumber}`).toBeDefined();
      expect(d?.kind).toBe('invoice');
      return d as LedgerDocument;
    };
    for (const f of facts) {
      expect(accounts.has(f.accountNumber)).toBe(true);
      expect(f.portfolioId).toBe('demo');
      switch (f.type) {
        case 'activity':
          for (const n of f.documentNumbers) invoice(f, n);
          if (f.contactId !== undefined) expect(contacts.has(`${f.accountNumber}/${f.contactId}`)).toBe(true);
          break;
        case 'promise':
          expect(f.currency).toBe(currency.get(f.accountNumber));
          for (const n of f.documentNumbers) invoice(f, n);
          break;
        case 'dispute': {
          expect(f.currency).toBe(currency.get(f.accountNumber));
          let open = 0;
          for (const n of f.documentNumbers) {
            const d = invoice(f, n);
            // Disputed while still open at asOf, and issued by the day it was disputed.
            expect(d.status).toBe('open');
            expect(d.issueDate <= f.at.slice(0, 10)).toBe(true);
            open += d.open;
          }
          expect(f.amount).toBeLessThanOrEqual(open);
          break;
        }
        case 'hold':
          for (const n of f.documentNumbers ?? []) invoice(f, n);
          break;
        default:
          break;
      }
    }
  });

  it('keeps every promise within what the account owed the day it was taken', () => {
    const docsOf = byAccount(ledger.documents);
    const paysOf = byAccount(ledger.payments);
    for (const f of facts) {
      if (f.type !== 'promise') continue;
      const day = f.at.slice(0, 10);
      let owed = 0;
      for (const d of docsOf.get(f.accountNumber) ?? []) if (d.kind === 'invoice' && d.issueDate <= day) owed += d.original;
      for (const p of paysOf.get(f.accountNumber) ?? []) if (p.receivedDate < day) for (const a of p.allocations) owed -= a.amount;
      const promised = f.instalments.reduce((s, i) => s + i.amount, 0);
      expect(promised).toBeGreaterThan(0);
      expect(promised).toBeLessThanOrEqual(owed);
      expect((f.instalments[0]?.dueDate ?? '') >= day).toBe(true);
    }
  });

  it('names existing facts of the same account in every follow-up', () => {
    const byId = new Map(facts.map((f) => [f.id, f]));
    const named = (f: Fact, id: string, type: FactType) => {
      const target = byId.get(id);
      expect(target?.type).toBe(type);
      expect(target?.accountNumber).toBe(f.accountNumber);
      expect((target?.at ?? '') < f.at).toBe(true);
    };
    for (const f of facts) {
      if (f.type === 'promise-cancelled') named(f, f.promiseId, 'promise');
      if (f.type === 'dispute-resolved') named(f, f.disputeId, 'dispute');
      if (f.type === 'task-closed') named(f, f.taskId, 'task');
      if (f.type === 'hold-released') named(f, f.holdId, 'hold');
      if (f.type === 'claim-released') named(f, f.claimId, 'claim');
      if (f.type === 'escalation-resolved' && !f.escalationId.startsWith('derived:')) named(f, f.escalationId, 'escalation');
    }
  });

  it('is a team: collectors and their lead, on their own devices', () => {
    const people = new Set([...DEFAULT_COLLECTORS, TEAM_LEAD]);
    for (const f of facts) {
      expect(people.has(f.by)).toBe(true);
      expect(f.deviceId).toMatch(/^dev-[a-z]+-(tablet|phone|laptop)$/);
      if (f.type === 'assignment' && f.collector !== null) expect(DEFAULT_COLLECTORS).toContain(f.collector);
    }
    const custom = generateFacts(ledger, { seed: 11, asOf, collectors: ['u-zoe'] });
    for (const f of custom) expect(['u-zoe', TEAM_LEAD]).toContain(f.by);
  });

  it('has a realistic mix of facts, and of promise outcomes once folded', () => {
    const counts = countFactsByType(facts);
    for (const type of Object.keys(counts) as FactType[]) expect(counts[type], type).toBeGreaterThan(0);
    expect(counts.activity / facts.length).toBeGreaterThan(0.5);
    const calls = facts.filter((f) => f.type === 'activity' && f.channel === 'call');
    const noAnswer = calls.filter((f) => f.type === 'activity' && (f.outcome === 'no-answer' || f.outcome === 'left-message')).length;
    expect(noAnswer / calls.length).toBeGreaterThan(0.4);

    const factsOf = byAccount(facts);
    const docsOf = byAccount<LedgerDocument>(ledger.documents);
    const paysOf = byAccount<Payment>(ledger.payments);
    const statuses = new Map<PromiseStatus, number>();
    let assigned = 0;
    let pastDue = 0;
    for (const a of ledger.accounts) {
      const docs = docsOf.get(a.number) ?? [];
      const s = foldAccount({ accountNumber: a.number, facts: factsOf.get(a.number) ?? [], documents: docs, payments: paysOf.get(a.number) ?? [], asOf });
      for (const p of s.promises) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
      if (docs.some((d) => d.status === 'open' && d.kind === 'invoice' && d.dueDate < asOfDate)) {
        pastDue++;
        if (s.assignedTo !== null) assigned++;
      }
    }
    for (const status of ['kept', 'broken', 'open', 'partially-kept'] as const) expect(statuses.get(status) ?? 0, status).toBeGreaterThan(0);
    // Most past-due accounts have a collector.
    expect(assigned / pastDue).toBeGreaterThan(0.75);
  });

  it('refuses options it cannot honour', () => {
    expect(() => generateFacts(ledger, { seed: 1.5, asOf })).toThrow(RangeError);
    expect(() => generateFacts(ledger, { seed: 1, asOf: 'yesterday' })).toThrow(RangeError);
    expect(() => generateFacts(ledger, { seed: 1, asOf, collectors: [] })).toThrow(RangeError);
    expect(() => generateFacts(ledger, { seed: 1, asOf, perAccount: -1 })).toThrow(RangeError);
  });
});

describe('ulidAt', () => {
  it('encodes the time in the first ten characters and draws the rest from the stream', () => {
    const a = ulidAt(Date.parse('2025-06-30T17:30:00.000Z'), new Prng(1));
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulidTime(a)).toBe(Date.parse('2025-06-30T17:30:00.000Z'));
    expect(ulidAt(0, new Prng(1)).slice(0, 10)).toBe('0000000000');
    expect(ulidAt(2 ** 48 - 1, new Prng(1)).slice(0, 10)).toBe('7ZZZZZZZZZ');
    expect(ulidAt(5, new Prng(1))).toBe(ulidAt(5, new Prng(1)));
    expect(ulidAt(5, new Prng(1))).not.toBe(ulidAt(5, new Prng(2)));
    expect(() => ulidAt(2 ** 48, new Prng(1))).toThrow(RangeError);
  });
});
