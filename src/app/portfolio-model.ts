/**
 * The open portfolio in memory: the ledger copy the worklist needs, the team's facts by account, the
 * domain Worklist kept incremental, the search index, and the reads the facade serves from them.
 *
 * What is held. Accounts, collections contacts and open documents in full; ledger payments from
 * `paymentsFrom` on (the fold reads payments only from the oldest promise or field receipt onward, so
 * 18 months of paid history need not sit in a phone's memory); the settled history of one account is
 * loaded when its workspace opens (`setHistory`). The app widens the payment window when an older
 * promise arrives (`addPayments`).
 *
 * How it stays current. A new fact re-scores its account (Worklist.applyFacts); ledger rows of known
 * accounts go through Worklist.applyLedger; a new or changed account, a changed configuration, or an
 * overwritten fact rebuilds the Worklist (rare: an import, a manager's edit, someone else's bug).
 */
import type { CalendarDate } from '../domain/calendar';
import { compareFacts, type Fact } from '../domain/facts';
import { foldAccount } from '../domain/folds';
import { documentKey, type Account, type CollectionsContact, type Ledger, type LedgerDelta, type LedgerDocument, type Payment, type Portfolio } from '../domain/ledger';
import { Worklist, type WorklistEntry } from '../domain/worklist';
import type { AccountView, PresenceUser, WorklistQuery } from './collector-app';
import type { TeamConfig } from './team-config';
import { worklistRowOf, type WorklistRow } from './worklist-row';

export interface LedgerInMemory {
  readonly portfolio: Portfolio;
  readonly accounts: readonly Account[];
  readonly contacts: readonly CollectionsContact[];
  readonly openDocuments: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
  readonly paymentsFrom: CalendarDate;
}

interface History {
  readonly documents: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function upsert<T>(map: Map<string, T[]>, key: string, value: T, same: (x: T) => boolean): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
    return;
  }
  const i = list.findIndex(same);
  if (i >= 0) list[i] = value;
  else list.push(value);
}

const newestDocumentFirst = (a: LedgerDocument, b: LedgerDocument) => (a.issueDate !== b.issueDate ? (a.issueDate < b.issueDate ? 1 : -1) : a.number < b.number ? 1 : -1);
const newestPaymentFirst = (a: Payment, b: Payment) => (a.receivedDate !== b.receivedDate ? (a.receivedDate < b.receivedDate ? 1 : -1) : a.id < b.id ? 1 : -1);

/** The earliest day the fold needs ledger payments from, for these facts (a week's slack for late posting). */
export function paymentsNeededFrom(facts: readonly Fact[], asOfDate: CalendarDate): CalendarDate {
  let from: string = asOfDate;
  for (const f of facts) {
    const day = f.type === 'promise' ? f.at.slice(0, 10) : f.type === 'field-receipt' ? f.receivedDate : undefined;
    if (day !== undefined && day < from) from = day;
  }
  const ms = Date.parse(`${from}T00:00:00Z`) - 7 * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10) as CalendarDate;
}

export class PortfolioModel {
  readonly portfolio: Portfolio;
  private config: TeamConfig;
  private readonly accounts = new Map<string, Account>();
  private readonly contacts = new Map<string, CollectionsContact[]>();
  private readonly openDocuments = new Map<string, LedgerDocument[]>();
  private readonly payments = new Map<string, Payment[]>();
  private readonly factsByAccount = new Map<string, Fact[]>();
  private readonly factIds = new Set<string>();
  private readonly haystacks = new Map<string, string>();
  private readonly history = new Map<string, History>();
  private readonly rows = new WeakMap<WorklistEntry, WorklistRow>();
  private paymentsFromDate: CalendarDate;
  private worklistValue: Worklist;
  private asOfValue: string;

  constructor(ledger: LedgerInMemory, facts: readonly Fact[], config: TeamConfig, asOf: string) {
    this.portfolio = ledger.portfolio;
    this.config = config;
    this.asOfValue = asOf;
    this.paymentsFromDate = ledger.paymentsFrom;
    for (const a of ledger.accounts) this.accounts.set(a.number, a);
    for (const c of ledger.contacts) push(this.contacts, c.accountNumber, c);
    for (const d of ledger.openDocuments) if (d.status === 'open') push(this.openDocuments, d.accountNumber, d);
    for (const p of ledger.payments) push(this.payments, p.accountNumber, p);
    for (const f of facts) this.indexFact(f);
    for (const a of ledger.accounts) this.indexSearch(a.number);
    this.worklistValue = this.build();
  }

  get worklist(): Worklist {
    return this.worklistValue;
  }

  get asOf(): string {
    return this.asOfValue;
  }

  get paymentsFrom(): CalendarDate {
    return this.paymentsFromDate;
  }

  get teamConfig(): TeamConfig {
    return this.config;
  }

  hasAccount(accountNumber: string): boolean {
    return this.accounts.has(accountNumber);
  }

  account(accountNumber: string): Account | undefined {
    return this.accounts.get(accountNumber);
  }

  contactsOf(accountNumber: string): readonly CollectionsContact[] {
    return this.contacts.get(accountNumber) ?? [];
  }

  openDocumentsOf(accountNumber: string): readonly LedgerDocument[] {
    return this.openDocuments.get(accountNumber) ?? [];
  }

  factsOf(accountNumber: string): readonly Fact[] {
    return this.factsByAccount.get(accountNumber) ?? [];
  }

  /** Every fact of the portfolio held in memory. */
  allFacts(): Fact[] {
    const out: Fact[] = [];
    for (const list of this.factsByAccount.values()) out.push(...list);
    return out;
  }

  // --- changes ---------------------------------------------------------------------------------

  /** Facts new to the device: their accounts are re-scored. Returns the accounts touched. */
  applyFacts(facts: readonly Fact[]): string[] {
    const fresh = facts.filter((f) => !this.factIds.has(f.id));
    for (const f of fresh) this.indexFact(f);
    return fresh.length === 0 ? [] : this.worklistValue.applyFacts(fresh);
  }

  /** Every fact again (a known fact's record changed): rebuilt from scratch. */
  resetFacts(facts: readonly Fact[]): void {
    this.factsByAccount.clear();
    this.factIds.clear();
    for (const f of facts) this.indexFact(f);
    this.worklistValue = this.build();
  }

  setConfig(config: TeamConfig): void {
    this.config = config;
    this.worklistValue = this.build();
  }

  setAsOf(asOf: string): void {
    this.asOfValue = asOf;
    this.worklistValue.setAsOf(asOf);
  }

  /** Payments received before the window, loaded because an older promise arrived. */
  addPayments(payments: readonly Payment[], from: CalendarDate): void {
    if (from < this.paymentsFromDate) this.paymentsFromDate = from;
    const fresh: Payment[] = [];
    for (const p of payments) {
      const list = this.payments.get(p.accountNumber);
      if (list?.some((x) => x.id === p.id)) continue;
      push(this.payments, p.accountNumber, p);
      fresh.push(p);
    }
    for (const list of this.payments.values()) list.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
    if (fresh.length > 0) this.worklistValue = this.build();
  }

  /** A pulled ledger batch. Returns the accounts whose rows changed. */
  applyLedger(delta: LedgerDelta): string[] {
    let rebuild = false;
    const touched = new Set<string>();
    for (const a of delta.accounts) {
      const old = this.accounts.get(a.number);
      if (old === undefined || JSON.stringify(old) !== JSON.stringify(a)) rebuild = true;
      this.accounts.set(a.number, a);
      touched.add(a.number);
    }
    for (const c of delta.contacts) {
      upsert(this.contacts, c.accountNumber, c, (x) => x.id === c.id);
      touched.add(c.accountNumber);
    }
    for (const d of delta.documents) {
      const list = this.openDocuments.get(d.accountNumber) ?? [];
      const i = list.findIndex((x) => x.number === d.number);
      if (d.status === 'open') {
        if (i >= 0) list[i] = d;
        else list.push(d);
        this.openDocuments.set(d.accountNumber, list);
      } else if (i >= 0) list.splice(i, 1);
      touched.add(d.accountNumber);
    }
    const payments = delta.payments.filter((p) => p.receivedDate >= this.paymentsFromDate);
    for (const p of payments) {
      upsert(this.payments, p.accountNumber, p, (x) => x.id === p.id);
      touched.add(p.accountNumber);
    }
    for (const a of touched) {
      this.indexSearch(a);
      this.history.delete(a);
    }
    if (rebuild) this.worklistValue = this.build();
    else if (touched.size > 0) this.worklistValue.applyLedger({ documents: delta.documents, payments, contacts: delta.contacts });
    return [...touched];
  }

  /** An account's settled history (all its documents and payments), loaded when its workspace opens. */
  setHistory(accountNumber: string, documents: readonly LedgerDocument[], payments: readonly Payment[]): void {
    this.history.set(accountNumber, { documents, payments });
  }

  hasHistory(accountNumber: string): boolean {
    return this.history.has(accountNumber);
  }

  // --- reads -----------------------------------------------------------------------------------

  query(query: WorklistQuery): WorklistEntry[] {
    const { search, limit, ...filter } = query;
    const q = search?.trim().toLowerCase() ?? '';
    if (q === '') return this.worklistValue.query(limit === undefined ? filter : { ...filter, limit });
    const out: WorklistEntry[] = [];
    const max = limit ?? Number.POSITIVE_INFINITY;
    for (const e of this.worklistValue.query(filter)) {
      if (out.length >= max) break;
      if (this.haystacks.get(e.accountNumber)?.includes(q) === true) out.push(e);
    }
    return out;
  }

  rowOf(e: WorklistEntry): WorklistRow {
    let r = this.rows.get(e);
    if (r === undefined) {
      const aging = this.config.worklist.aging;
      r = worklistRowOf(this.portfolio.id, e, {
        documents: this.openDocumentsOf(e.accountNumber),
        asOfDate: this.asOfValue.slice(0, 10) as CalendarDate,
        ...(aging === undefined ? {} : { aging }),
      });
      this.rows.set(e, r);
    }
    return r;
  }

  allRows(): WorklistRow[] {
    return this.worklistValue.all().map((e) => this.rowOf(e));
  }

  accountView(accountNumber: string, presence: readonly PresenceUser[]): AccountView | undefined {
    const account = this.accounts.get(accountNumber);
    if (account === undefined) return undefined;
    const entry = this.worklistValue.entry(accountNumber);
    const history = this.history.get(accountNumber);
    const facts = [...this.factsOf(accountNumber)].sort((a, b) => compareFacts(b, a));
    const payments = [...(history?.payments ?? this.payments.get(accountNumber) ?? [])].sort(newestPaymentFirst);
    const documents = history === undefined ? [...this.openDocumentsOf(accountNumber)] : mergeDocuments(history.documents, this.openDocumentsOf(accountNumber));
    // Every ledger account has an entry; the fold is only a fallback should that ever change.
    const state = entry?.state ?? foldAccount({ accountNumber, facts, documents: this.openDocumentsOf(accountNumber), payments, asOf: this.asOfValue });
    return {
      account,
      contacts: this.contactsOf(accountNumber),
      documents: documents.sort(newestDocumentFirst),
      payments,
      state,
      entry,
      facts,
      presence,
      complete: history !== undefined,
    };
  }

  /** The ledger and facts as the engine reads them (for an export or a simulation). */
  ledger(): Ledger {
    const flat = <T>(m: Map<string, T[]>) => [...this.accounts.keys()].flatMap((a) => m.get(a) ?? []);
    return {
      portfolio: this.portfolio,
      accounts: [...this.accounts.values()],
      contacts: flat(this.contacts),
      documents: flat(this.openDocuments),
      payments: flat(this.payments),
    };
  }

  private build(): Worklist {
    return new Worklist(this.ledger(), this.allFacts(), this.config.worklist, this.asOfValue);
  }

  private indexFact(f: Fact): void {
    if (this.factIds.has(f.id)) return;
    this.factIds.add(f.id);
    push(this.factsByAccount, f.accountNumber, f);
  }

  private indexSearch(accountNumber: string): void {
    const a = this.accounts.get(accountNumber);
    if (a === undefined) return;
    const docs = (this.openDocuments.get(accountNumber) ?? []).map((d) => d.number).join('\n');
    this.haystacks.set(accountNumber, `${a.number}\n${a.name}\n${docs}`.toLowerCase());
  }
}

/** The history as stored, with the in-memory open documents (fresher: a pull may have moved since). */
function mergeDocuments(history: readonly LedgerDocument[], open: readonly LedgerDocument[]): LedgerDocument[] {
  const byKey = new Map<string, LedgerDocument>();
  for (const d of history) byKey.set(documentKey(d), d);
  for (const d of open) byKey.set(documentKey(d), d);
  return [...byKey.values()];
}
