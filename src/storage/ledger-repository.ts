/**
 * The ledger copy in Dexie (LedgerRepository in src/app/ports.ts). A pull batch (a page) is one
 * read-write transaction over the ledger tables and the cursor, written with bulkPut: IndexedDB's cost
 * is per transaction, and the cursor (or a snapshot's progress) moving with its rows is what makes a
 * pull resumable. The progress of a snapshot under way is the `pending` field of its cursor row (no
 * store of its own, so no schema version): such a row is not a copy yet, `cursor()` answers undefined.
 */
import { Dexie } from 'dexie';
import { z } from 'zod';
import type { CalendarDate } from '../domain/calendar';
import {
  accountSchema,
  collectionsContactSchema,
  ledgerDocumentSchema,
  paymentSchema,
  portfolioSchema,
  type Account,
  type CollectionsContact,
  type Ledger,
  type LedgerDelta,
  type LedgerDocument,
  type Payment,
  type Portfolio,
} from '../domain/ledger';
import { ledgerScopeSchema } from '../domain/ledger-page';
import type { LedgerCursor, LedgerPullProgress, LedgerRepository } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRow, parseRows, RowCounter } from './parse-rows';

const progressSchema = z.object({
  since: z.number().int().nonnegative(),
  cursor: z.number().int().nonnegative(),
  after: z.string().min(1),
  scope: ledgerScopeSchema,
});
const cursorSchema = z.object({
  portfolioId: z.string().min(1),
  cursor: z.number().int().nonnegative(),
  pulledAt: z.string(),
  pending: progressSchema.optional(),
});

const { minKey, maxKey } = Dexie;

function byAccount<T extends { accountNumber: string }>(rows: T[]): T[] {
  // Stable: rows of one account keep the index's order (dates ascending).
  return rows.sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : a.accountNumber > b.accountNumber ? 1 : 0));
}

export class DexieLedgerRepository implements LedgerRepository {
  private readonly counter = new RowCounter();
  private readonly access: DbAccess;

  constructor(access: DbAccess) {
    this.access = access;
  }

  invalidRows(): number {
    return this.counter.invalid;
  }

  async cursor(portfolioId: string): Promise<LedgerCursor | undefined> {
    const row = await this.access.read(async (db) => parseRow(cursorSchema, await db.ledgerCursors.get(portfolioId), this.counter));
    if (row === undefined || row.pending !== undefined) return undefined;
    return { portfolioId: row.portfolioId, cursor: row.cursor, pulledAt: row.pulledAt };
  }

  async pullProgress(portfolioId: string): Promise<LedgerPullProgress | undefined> {
    const row = await this.access.read(async (db) => parseRow(cursorSchema, await db.ledgerCursors.get(portfolioId), this.counter));
    return row?.pending;
  }

  applyPull(delta: LedgerDelta, pulledAt: string, portfolio?: Portfolio, progress?: LedgerPullProgress): Promise<void> {
    const pid = delta.portfolioId;
    const foreign = [...delta.accounts, ...delta.contacts, ...delta.documents, ...delta.payments].find((r) => r.portfolioId !== pid);
    if (foreign !== undefined) return Promise.reject(new RangeError(`a row of portfolio ${foreign.portfolioId} in a pull of ${pid}`));
    return this.access.write((db) =>
      db.transaction('rw', [db.portfolios, db.accounts, db.contacts, db.documents, db.payments, db.ledgerCursors], async () => {
        if (portfolio !== undefined) await db.portfolios.put(portfolio);
        else if ((await db.portfolios.get(pid)) === undefined) await db.portfolios.put({ id: pid, name: pid });
        if (delta.accounts.length > 0) await db.accounts.bulkPut(delta.accounts);
        if (delta.contacts.length > 0) await db.contacts.bulkPut(delta.contacts);
        if (delta.documents.length > 0) await db.documents.bulkPut(delta.documents);
        if (delta.payments.length > 0) await db.payments.bulkPut(delta.payments);
        await db.ledgerCursors.put(
          progress === undefined ? { portfolioId: pid, cursor: delta.cursor, pulledAt } : { portfolioId: pid, cursor: delta.since, pulledAt, pending: { ...progress } },
        );
      }),
    );
  }

  clear(portfolioId: string): Promise<void> {
    return this.access.write((db) =>
      db.transaction('rw', [db.accounts, db.contacts, db.documents, db.payments, db.ledgerCursors], async () => {
        await db.accounts.where('[portfolioId+number]').between([portfolioId, minKey], [portfolioId, maxKey]).delete();
        await db.contacts.where('[portfolioId+id]').between([portfolioId, minKey], [portfolioId, maxKey]).delete();
        await db.documents.where('[portfolioId+accountNumber+number]').between([portfolioId, minKey, minKey], [portfolioId, maxKey, maxKey]).delete();
        await db.payments.where('[portfolioId+id]').between([portfolioId, minKey], [portfolioId, maxKey]).delete();
        await db.ledgerCursors.delete(portfolioId);
      }),
    );
  }

  portfolio(portfolioId: string): Promise<Portfolio | undefined> {
    return this.access.read(async (db) => parseRow(portfolioSchema, await db.portfolios.get(portfolioId), this.counter));
  }

  portfolios(): Promise<Portfolio[]> {
    return this.access.read(async (db) => parseRows(portfolioSchema, await db.portfolios.toArray(), this.counter));
  }

  accounts(portfolioId: string): Promise<Account[]> {
    return this.access.read(async (db) =>
      parseRows(accountSchema, await db.accounts.where('[portfolioId+number]').between([portfolioId, minKey], [portfolioId, maxKey]).toArray(), this.counter),
    );
  }

  contacts(portfolioId: string): Promise<CollectionsContact[]> {
    return this.access.read(async (db) =>
      parseRows(
        collectionsContactSchema,
        await db.contacts.where('[portfolioId+accountNumber]').between([portfolioId, minKey], [portfolioId, maxKey]).toArray(),
        this.counter,
      ),
    );
  }

  openDocuments(portfolioId: string): Promise<LedgerDocument[]> {
    return this.access.read(async (db) =>
      parseRows(
        ledgerDocumentSchema,
        await db.documents.where('[portfolioId+status+accountNumber]').between([portfolioId, 'open', minKey], [portfolioId, 'open', maxKey]).toArray(),
        this.counter,
      ),
    );
  }

  paymentsFrom(portfolioId: string, from: CalendarDate): Promise<Payment[]> {
    return this.access.read(async (db) =>
      byAccount(
        parseRows(paymentSchema, await db.payments.where('[portfolioId+receivedDate]').between([portfolioId, from], [portfolioId, maxKey]).toArray(), this.counter),
      ),
    );
  }

  paymentsBetween(portfolioId: string, from: CalendarDate, before: CalendarDate): Promise<Payment[]> {
    return this.access.read(async (db) =>
      byAccount(
        parseRows(
          paymentSchema,
          await db.payments.where('[portfolioId+receivedDate]').between([portfolioId, from], [portfolioId, before], true, false).toArray(),
          this.counter,
        ),
      ),
    );
  }

  accountDocuments(portfolioId: string, accountNumber: string): Promise<LedgerDocument[]> {
    return this.access.read(async (db) =>
      parseRows(
        ledgerDocumentSchema,
        await db.documents
          .where('[portfolioId+accountNumber+number]')
          .between([portfolioId, accountNumber, minKey], [portfolioId, accountNumber, maxKey])
          .toArray(),
        this.counter,
      ),
    );
  }

  accountPayments(portfolioId: string, accountNumber: string): Promise<Payment[]> {
    return this.access.read(async (db) =>
      parseRows(paymentSchema, await db.payments.where('[portfolioId+accountNumber]').equals([portfolioId, accountNumber]).toArray(), this.counter),
    );
  }

  findDocuments(portfolioId: string, prefix: string, limit: number): Promise<LedgerDocument[]> {
    return this.access.read(async (db) =>
      parseRows(
        ledgerDocumentSchema,
        await db.documents.where('[portfolioId+number]').between([portfolioId, prefix], [portfolioId, `${prefix}\uffff`]).limit(limit).toArray(),
        this.counter,
      ),
    );
  }

  async ledger(portfolioId: string): Promise<Ledger | undefined> {
    const portfolio = await this.portfolio(portfolioId);
    if (portfolio === undefined) return undefined;
    const [accounts, contacts, documents, payments] = await this.access.read((db) =>
      db.transaction('r', [db.accounts, db.contacts, db.documents, db.payments], () =>
        Promise.all([
          db.accounts.where('[portfolioId+number]').between([portfolioId, minKey], [portfolioId, maxKey]).toArray(),
          db.contacts.where('[portfolioId+accountNumber]').between([portfolioId, minKey], [portfolioId, maxKey]).toArray(),
          db.documents.where('[portfolioId+accountNumber+number]').between([portfolioId, minKey, minKey], [portfolioId, maxKey, maxKey]).toArray(),
          db.payments.where('[portfolioId+accountNumber]').between([portfolioId, minKey], [portfolioId, maxKey]).toArray(),
        ]),
      ),
    );
    return {
      portfolio,
      accounts: parseRows(accountSchema, accounts, this.counter),
      contacts: parseRows(collectionsContactSchema, contacts, this.counter),
      documents: parseRows(ledgerDocumentSchema, documents, this.counter),
      payments: parseRows(paymentSchema, payments, this.counter),
    };
  }
}
