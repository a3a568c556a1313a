/**
 * Builds the embedded relay: SQLite room logs and fact projection in the server's database (written
 * from the SQLite writer's worker; the caller stops `persistence` after the relay closes), identity
 * from the auth service, a metrics registry of its own. server.ts attaches it to the HTTP server.
 */
import type Database from 'better-sqlite3';
import type { AuthService } from '../auth/auth-service';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { LedgerStore } from '../store/ledger-store';
import { SqliteFactQuarantine } from '../store/sqlite-fact-quarantine';
import type { RelayIdentity } from './admission';
import { RelayMetrics } from './metrics';
import { FactProjector } from './projector';
import { Relay, type RelayOptions } from './relay';
import { SqliteRoomStore } from './sqlite-room-store';
import { WorkerRoomStore } from './worker-room-store';

export interface EmbeddedRelay {
  readonly relay: Relay;
  /** The room logs read on the calling thread (seeding, operations, tests). */
  readonly rooms: SqliteRoomStore;
  readonly persistence: WorkerRoomStore;
  readonly quarantine: SqliteFactQuarantine;
  readonly metrics: RelayMetrics;
}

export function createEmbeddedRelay(o: {
  db: Database.Database;
  store: LedgerStore;
  facts: FactStore;
  auth: AuthService;
  log: Logger;
  options?: RelayOptions;
}): EmbeddedRelay {
  const metrics = new RelayMetrics();
  const rooms = new SqliteRoomStore(o.db);
  const quarantine = new SqliteFactQuarantine(o.db);
  const identity: RelayIdentity = {
    verify: (token) => o.auth.tokens.verify(token),
    currentUser: (id) => {
      const user = o.auth.activeUser(id);
      return user === undefined ? undefined : { role: user.role, portfolios: o.auth.users.portfoliosOf(user) };
    },
    portfolioExists: (id) => o.store.getPortfolio(id) !== undefined,
  };
  const log = o.log.child({ component: 'relay' });
  const persistence = new WorkerRoomStore(o.db, { log });
  const relay = new Relay({ identity, persistence, metrics, log, projector: new FactProjector({ facts: o.facts, quarantine, metrics, log }) }, o.options ?? {});
  return { relay, rooms, persistence, quarantine, metrics };
}
