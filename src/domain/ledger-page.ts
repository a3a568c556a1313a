/**
 * The ledger pull in pages (docs/api.md, `GET /api/portfolios/:id/ledger`): the wire shapes shared by
 * the server and the device.
 *
 * - **Scope.** `device` (what a device asks for) is every account and contact, every open document,
 *   documents closed or paid within the server's history window and payments received within it;
 *   `full` is everything the server holds. A delta (since > 0) carries every row written after its
 *   `since`, whatever the scope: the server does not know which rows a device holds, and a document the
 *   device holds as open must reach it when it closes, however far back its paid date lies.
 * - **Pages.** An answer holds at most `limit` rows, tables in the order accounts, contacts, documents,
 *   payments, each in key order. `next` is the opaque continuation key of the following page (null on
 *   the last one); the following page is asked with `after=<next>` and the same `since`, `scope` and
 *   `cursor`. Every page of one pull carries the cursor taken when its first page was read: a row
 *   written while the pages are read has a later seq, so the delta asked with that cursor delivers it.
 */
import { z } from 'zod';
import { calendarDateSchema } from './calendar';
import { ledgerDeltaSchema } from './ledger';

export const LEDGER_SCOPES = ['device', 'full'] as const;
export const ledgerScopeSchema = z.enum(LEDGER_SCOPES);
export type LedgerScope = z.infer<typeof ledgerScopeSchema>;

/** Rows per page when the request names no `limit`, and the most a request may ask for. */
export const LEDGER_PAGE_DEFAULT_LIMIT = 5_000;
export const LEDGER_PAGE_MAX_LIMIT = 50_000;

/** One page of a pull: the rows of a delta (`since` 0: a snapshot) and where the next page starts. */
export const ledgerPageSchema = ledgerDeltaSchema.extend({
  scope: ledgerScopeSchema,
  /** The first day of the history window a `device` snapshot applied (absent for `full`). */
  historyFrom: calendarDateSchema.optional(),
  /** Ask for the following page with `after=<next>`; null: this was the last page. */
  next: z.string().min(1).nullable(),
});
export type LedgerPage = z.infer<typeof ledgerPageSchema>;

/** `GET /api/portfolios/:id/accounts/:number/history`: the whole ledger history of one account. */
export const accountHistorySchema = z.object({
  portfolioId: z.string(),
  accountNumber: z.string(),
  /** The server's cursor when it was read (rows written later arrive with the next delta). */
  cursor: z.number().int().nonnegative(),
  documents: ledgerDeltaSchema.shape.documents,
  payments: ledgerDeltaSchema.shape.payments,
});
export type AccountHistory = z.infer<typeof accountHistorySchema>;
