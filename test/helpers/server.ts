import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarDate } from '../../src/domain/calendar';
import type { Role } from '../../src/protocol/token';
import { hashPassword } from '../../sync-server/auth/passwords';
import { startServer, type RunningServer } from '../../sync-server/server';
import type { RelayOptions } from '../../sync-server/relay/relay';

export interface TestUser {
  readonly id: string;
  readonly role: Role;
  /** Omit for a user who cannot sign in (a token from `tokenFor` still works). */
  readonly password?: string;
  readonly name?: string;
  readonly email?: string;
  /** Portfolios of a team made for this user (`team-<id>`); an admin opens every portfolio anyway. */
  readonly portfolios?: readonly string[];
}

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  stop(): Promise<void>;
  /** Adds a user (and a team of their own working `portfolios`) straight into the store. */
  addUser(user: TestUser): Promise<void>;
  /** A fresh user of `role` working `portfolios`, and a token for them: the shortest way to call the API. */
  tokenFor(role: Role, portfolios?: readonly string[]): Promise<string>;
  /** `fetch` to the server with `Authorization: Bearer <token>` (no header when token is undefined). */
  api(path: string, token: string | undefined, init?: RequestInit): Promise<Response>;
}

/** A real server on 127.0.0.1, port 0, with its own data folder; `stop()` closes it and removes the folder. */
export async function startTestServer(options: { today?: CalendarDate; staticDir?: string; dataDir?: string; port?: number; relay?: RelayOptions } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dunwell-server-'));
  const today = options.today;
  const server = await startServer({
    // A given port lets a test restart the server where its clients expect it.
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
    ...(today === undefined ? {} : { today: () => today }),
    ...(options.relay === undefined ? {} : { relay: options.relay }),
  });
  let n = 0;
  const addUser = async (u: TestUser) => {
    const passwordHash = u.password === undefined ? undefined : await hashPassword(u.password);
    server.users.addUser({
      id: u.id,
      name: u.name ?? u.id,
      role: u.role,
      ...(u.email === undefined ? {} : { email: u.email }),
      ...(passwordHash === undefined ? {} : { passwordHash }),
    });
    if (u.portfolios !== undefined && u.portfolios.length > 0) {
      server.users.addTeam({ id: `team-${u.id}`, name: `Team of ${u.id}`, portfolios: u.portfolios });
      server.users.addMember(`team-${u.id}`, u.id);
    }
  };
  return Object.assign(server, {
    dataDir,
    async stop() {
      await server.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
    addUser,
    async tokenFor(role: Role, portfolios: readonly string[] = []) {
      const id = `t-${role}-${++n}`;
      await addUser({ id, role, portfolios });
      const user = server.users.user(id);
      if (user === undefined) throw new Error(`test user ${id} was not stored`);
      return (await server.auth.sessionFor(user)).token;
    },
    api(path: string, token: string | undefined, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${server.url}${path}`, { ...init, headers });
    },
  });
}
