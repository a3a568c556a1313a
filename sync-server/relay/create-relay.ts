/**
 * Builds the embedded relay: the room logs in their own SQLite file (sqlite-room-log.ts, written on the
 * event loop), the fact projection into the server's database (written from the SQLite writer's
 * worker), identity from the auth service, a metrics registry of its own. server.ts attaches it to the
 * HTTP server, and stops `projections` after the relay closes.
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
import type { SqliteRoomLog } from './sqlite-room-log';
import { WorkerProjectionStore } from './worker-projection-store';

export interface EmbeddedRelay {
  readonly relay: Relay;
  /** The room logs (also read and appended to on the calling thread: seeding, operations, tests). */
  readonly rooms: SqliteRoomLog;
  readonly projections: WorkerProjectionStore;
  readonly quarantine: SqliteFactQuarantine;
  readonly metrics: RelayMetrics;
}

export function createEmbeddedRelay(o: {
  db: Database.Database;
  rooms: SqliteRoomLog;
  store: LedgerStore;
  facts: FactStore;
  auth: AuthService;
  log: Logger;
  options?: RelayOptions;
}): EmbeddedRelay {
  const metrics = new RelayMetrics();
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
  const projections = new WorkerProjectionStore(o.db, { log });
  const projector = new FactProjector({ facts: o.facts, quarantine, store: projections, metrics, log });
  const relay = new Relay({ identity, persistence: o.rooms, metrics, log, projector }, o.options ?? {});
  return { relay, rooms: o.rooms, projections, quarantine, metrics };
}
