import type { CalendarDate } from '../../src/domain/calendar';
import type { Account, LedgerDocument, Payment } from '../../src/domain/ledger';
import type { CurrencyCode, Minor } from '../../src/domain/money';

export const USD = 'USD' as CurrencyCode;
export const date = (s: string) => s as CalendarDate;
export const cents = (n: number) => n as Minor;

export function account(portfolioId: string, number: string, over: Partial<Account> = {}): Account {
  return {
    portfolioId,
    number,
    name: `Customer ${number}`,
    segment: 'smb',
    tags: [],
    timeZone: 'America/Chicago',
    language: 'en',
    restrictions: { cease: false, doNotContact: false },
    ...over,
  };
}

export function invoice(portfolioId: string, accountNumber: string, number: string, over: Partial<LedgerDocument> = {}): LedgerDocument {
  return {
    portfolioId,
    accountNumber,
    number,
    kind: 'invoice',
    issueDate: date('2013-01-01'),
    dueDate: date('2013-01-31'),
    currency: USD,
    original: cents(10_000),
    open: cents(10_000),
    status: 'open',
    erpDisputed: false,
    ...over,
  };
}

export function payment(portfolioId: string, accountNumber: string, id: string, over: Partial<Payment> = {}): Payment {
  return {
    portfolioId,
    id,
    accountNumber,
    receivedDate: date('2013-02-10'),
    currency: USD,
    amount: cents(10_000),
    method: 'transfer',
    reference: id,
    allocations: [],
    ...over,
  };
}
