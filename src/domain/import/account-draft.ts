/**
 * An account as the rows of an extract describe it, before defaults. Each attribute is taken from the
 * first row that gives it (an empty cell gives nothing); a later row that gives another value is an
 * error. Tags are the exception: an extract such as IBM's prints the billing channel of each invoice,
 * which changes over time, so the tags of the newest imported document win.
 */
import type { CalendarDate } from '../calendar';
import type { Account, RiskGrade } from '../ledger';
import { parseAmount, type CurrencyCode, type Minor, type Money } from '../money';
import type { ImportMapping } from './mapping';

export type AccountAttribute = 'accountName' | 'segment' | 'timeZone' | 'language' | 'riskGrade' | 'creditLimit';

export interface AccountDraft {
  readonly number: string;
  /** First row that gave each attribute, with its comparable form and its display. */
  readonly given: Map<AccountAttribute, { row: number; key: string; shown: string }>;
  name?: string;
  segment?: string;
  timeZone?: string;
  language?: string;
  riskGrade?: RiskGrade;
  creditLimit?: Money;
  tags?: { tags: string[]; issueDate: CalendarDate };
  /** At least one valid row of it is imported (not skipped). */
  used: boolean;
}

export function setAttribute(acc: AccountDraft, attr: AccountAttribute, value: string | Money): void {
  if (typeof value !== 'string') acc.creditLimit = value;
  else if (attr === 'accountName') acc.name = value;
  else if (attr === 'segment') acc.segment = value;
  else if (attr === 'timeZone') acc.timeZone = value;
  else if (attr === 'language') acc.language = value;
  else if (attr === 'riskGrade') acc.riskGrade = value as RiskGrade;
}

/** The account with the mapping's constants, then the ledger's defaults, filling what no row gave. */
export function buildAccount(portfolioId: string, acc: AccountDraft, mapping: ImportMapping): Account {
  const c = mapping.constants;
  const tags = [...(c.tags ?? [])];
  for (const t of acc.tags?.tags ?? []) if (!tags.includes(t)) tags.push(t);
  const account: Account = {
    portfolioId,
    number: acc.number,
    name: acc.name ?? acc.number,
    segment: acc.segment ?? c.segment ?? 'default',
    tags,
    timeZone: acc.timeZone ?? c.timeZone ?? 'UTC',
    language: acc.language ?? c.language ?? 'en',
    restrictions: { cease: false, doNotContact: false },
  };
  const risk = acc.riskGrade ?? c.riskGrade;
  if (risk !== undefined) account.riskGrade = risk;
  if (acc.creditLimit !== undefined) account.creditLimit = acc.creditLimit;
  else if (c.creditLimit !== undefined) account.creditLimit = constantLimit(c.creditLimit, mapping.currency);
  return account;
}

function constantLimit(text: string, currency: CurrencyCode): Money {
  // The mapping schema already refused any constant this cannot read.
  const r = parseAmount(text, currency, { decimal: '.', thousands: '' });
  return { amount: r.ok ? r.value : (0 as Minor), currency };
}
