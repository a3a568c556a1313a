import { describe, expect, it } from 'vitest';
import { NO_COMPLIANCE } from '../../src/domain/compliance';
import type { Ledger } from '../../src/domain/ledger';
import { Worklist } from '../../src/domain/worklist';
import { localKpis } from '../../src/ui/manager/local-kpis';
import { fact } from '../helpers/facts';
import { account, cents, date, invoice } from '../helpers/ledger-fixtures';
import { strategyOf } from '../helpers/strategies';

const P = 'acme';
const AS_OF = '2026-11-20T15:00:00.000Z';
const SIMPLE = strategyOf({ schemaVersion: 1, id: 'simple', name: 'Simple', levels: [{ id: 'late', name: 'Late', when: { daysPastDue: { min: 1 } }, steps: [{ id: 'ring', action: { kind: 'call' } }] }] });

const ledger: Ledger = {
  portfolio: { id: P, name: 'Acme' },
  accounts: [account(P, 'C1'), account(P, 'C2')],
  contacts: [],
  documents: [invoice(P, 'C1', 'I1', { issueDate: date('2026-09-11'), dueDate: date('2026-10-11'), original: cents(50_000), open: cents(50_000) })],
  payments: [],
};

describe('local KPIs', () => {
  it('count the contact attempts and the conversations among them within the window', () => {
    const call = (accountNumber: string, at: string, outcome: string) => fact('activity', { accountNumber, at, channel: 'call', outcome, documentNumbers: [] });
    const facts = [
      call('C1', '2026-10-01T10:00:00.000Z', 'right-party-contact'), // before the 30 days
      call('C1', '2026-11-02T10:00:00.000Z', 'no-answer'),
      call('C1', '2026-11-10T10:00:00.000Z', 'promise-taken'),
      call('C2', '2026-11-15T10:00:00.000Z', 'right-party-contact'),
      fact('activity', { accountNumber: 'C2', at: '2026-11-16T10:00:00.000Z', channel: 'note', outcome: 'right-party-contact', documentNumbers: [] }),
    ];
    const wl = new Worklist(ledger, facts, { strategies: new Map([[SIMPLE.id, SIMPLE]]), selection: { default: 'simple', bySegment: {} }, compliance: NO_COMPLIANCE }, AS_OF);
    const k = localKpis(wl.all(), AS_OF);
    expect(k).toMatchObject({ contacts: 3, conversations: 2, accounts: 2 });
  });
});
