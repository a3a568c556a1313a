/**
 * The demo's people: one of each role, all with the password "demo", and the team that works the demo
 * portfolio. Idempotent, so every `dunwell serve --demo` can call it, including on a data folder seeded
 * before users existed; it never changes a user or team that is already there (someone may have set a
 * real password).
 */
import type { Role } from '../../src/protocol/token';
import { hashPassword } from '../auth/passwords';
import type { SqliteUserStore } from '../auth/user-store';

export const DEMO_PASSWORD = 'demo';
export const DEMO_TEAM = 'demo-team';

export const DEMO_USERS: readonly { id: string; name: string; role: Role; email: string; inTeam: boolean }[] = [
  { id: 'admin', name: 'Administrator', role: 'admin', email: 'admin@demo.test', inTeam: false },
  { id: 'maria', name: 'Maria Santos', role: 'manager', email: 'maria@demo.test', inTeam: true },
  { id: 'ana', name: 'Ana Pereira', role: 'collector', email: 'ana@demo.test', inTeam: true },
  { id: 'ben', name: 'Ben Okafor', role: 'collector', email: 'ben@demo.test', inTeam: true },
  // The rest of the team the demo's generated history names (synthetic-facts.ts DEFAULT_COLLECTORS).
  { id: 'cai', name: 'Cai Lindqvist', role: 'collector', email: 'cai@demo.test', inTeam: true },
  { id: 'dee', name: 'Dee Mensah', role: 'collector', email: 'dee@demo.test', inTeam: true },
  { id: 'eli', name: 'Eli Navarro', role: 'collector', email: 'eli@demo.test', inTeam: true },
  { id: 'fay', name: 'Fay Kowalski', role: 'collector', email: 'fay@demo.test', inTeam: true },
  { id: 'gus', name: 'Gus Achterberg', role: 'collector', email: 'gus@demo.test', inTeam: true },
  { id: 'hal', name: 'Hal Oyelaran', role: 'collector', email: 'hal@demo.test', inTeam: true },
  { id: 'victor', name: 'Victor Hale', role: 'viewer', email: 'victor@demo.test', inTeam: true },
];

/** Adds what is missing; returns the ids of the users it created. */
export async function seedDemoUsers(users: SqliteUserStore, portfolioId: string): Promise<string[]> {
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    if (users.user(u.id) !== undefined) continue;
    // "demo" is shorter than a real password may be: allowed here only, for well-known demo accounts.
    const passwordHash = await hashPassword(DEMO_PASSWORD, { minLength: DEMO_PASSWORD.length });
    users.addUser({ id: u.id, name: u.name, role: u.role, email: u.email, passwordHash });
    created.push(u.id);
  }
  if (users.team(DEMO_TEAM) === undefined) users.addTeam({ id: DEMO_TEAM, name: 'Demo team', portfolios: [portfolioId] });
  else users.addTeamPortfolio(DEMO_TEAM, portfolioId);
  for (const u of DEMO_USERS) if (u.inTeam && created.includes(u.id)) users.addMember(DEMO_TEAM, u.id);
  return created;
}

/** The line `serve --demo` prints so whoever started it knows how to get in. */
export function demoSignInHint(url: string): string {
  return `Sign in at ${url} as admin, maria (manager), ana, ben … hal (collectors) or victor (viewer), password "${DEMO_PASSWORD}". These are demo accounts: do not expose this server beyond a trusted network.`;
}
