import type Database from 'better-sqlite3';
import { z } from 'zod';
import { roleSchema, type Role } from '../../src/protocol/token';

export const userIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'expected a user id of lowercase letters, digits, dots, dashes' });
export const teamIdSchema = userIdSchema;
export const emailSchema = z.email({ message: 'expected an e-mail address' });

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
  readonly disabled: boolean;
  /** False for a user who was added without a password and has not set one: they cannot sign in yet. */
  readonly hasPassword: boolean;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly portfolios: readonly string[];
  readonly members: readonly string[];
}

interface UserRow {
  id: string;
  name: string;
  email: string | null;
  role: string;
  password_hash: string | null;
  disabled: number;
}

/** Users, teams and which portfolios each team works, in the server's SQLite file. */
export class SqliteUserStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  addUser(u: { id: string; name: string; email?: string; role: Role; passwordHash?: string }): User {
    userIdSchema.parse(u.id);
    roleSchema.parse(u.role);
    if (u.email !== undefined) emailSchema.parse(u.email);
    this.db
      .prepare('INSERT INTO users (id, name, email, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.id, u.name, u.email ?? null, u.role, u.passwordHash ?? null, new Date().toISOString());
    return this.user(u.id) as User;
  }

  setPassword(userId: string, passwordHash: string): void {
    const r = this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
    if (r.changes === 0) throw new RangeError(`no user ${userId}`);
  }

  /** Disabling keeps the user's history (their facts name them) but refuses sign-in, refresh and every token. */
  setDisabled(userId: string, disabled: boolean): void {
    const r = this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, userId);
    if (r.changes === 0) throw new RangeError(`no user ${userId}`);
  }

  /** Takes effect at the user's next request over HTTP (authorize.ts re-reads the role) and next token. */
  setRole(userId: string, role: Role): void {
    roleSchema.parse(role);
    const r = this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
    if (r.changes === 0) throw new RangeError(`no user ${userId}`);
  }

  listUsers(): User[] {
    return this.db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id').all().map(toUser);
  }

  user(id: string): User | undefined {
    const r = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return r && toUser(r);
  }

  /** The user and their password hash, by id or e-mail, for sign-in. */
  credentials(login: string): { user: User; passwordHash: string | null } | undefined {
    // Ids never contain '@' and e-mails always do, so one login names at most one user.
    const r = login.includes('@')
      ? this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE lower(email) = lower(?)').get(login)
      : this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(login);
    return r && { user: toUser(r), passwordHash: r.password_hash };
  }

  addTeam(t: { id: string; name: string; portfolios: readonly string[] }): void {
    teamIdSchema.parse(t.id);
    const run = this.db.transaction(() => {
      this.db.prepare('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)').run(t.id, t.name, new Date().toISOString());
      const add = this.db.prepare('INSERT INTO team_portfolios (team_id, portfolio_id) VALUES (?, ?)');
      for (const p of t.portfolios) add.run(t.id, p);
    });
    run();
  }

  addMember(teamId: string, userId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)').run(teamId, userId);
  }

  removeMember(teamId: string, userId: string): void {
    this.db.prepare('DELETE FROM team_members WHERE team_id = ? AND user_id = ?').run(teamId, userId);
  }

  addTeamPortfolio(teamId: string, portfolioId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO team_portfolios (team_id, portfolio_id) VALUES (?, ?)').run(teamId, portfolioId);
  }

  team(id: string): Team | undefined {
    const t = this.db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM teams WHERE id = ?').get(id);
    return t && this.withMembers(t);
  }

  listTeams(): Team[] {
    return this.db
      .prepare<[], { id: string; name: string }>('SELECT id, name FROM teams ORDER BY id')
      .all()
      .map((t) => this.withMembers(t));
  }

  /** The teams a user belongs to, by id. */
  teamsOf(userId: string): string[] {
    return this.db.prepare<[string], string>('SELECT team_id FROM team_members WHERE user_id = ? ORDER BY 1').pluck().all(userId);
  }

  private withMembers(t: { id: string; name: string }): Team {
    const portfolios = this.db.prepare<[string], string>('SELECT portfolio_id FROM team_portfolios WHERE team_id = ? ORDER BY 1').pluck().all(t.id);
    const members = this.db.prepare<[string], string>('SELECT user_id FROM team_members WHERE team_id = ? ORDER BY 1').pluck().all(t.id);
    return { id: t.id, name: t.name, portfolios, members };
  }

  /** The portfolios a user may open: their teams' portfolios, or every one (`*`) for an admin. */
  portfoliosOf(user: User): string[] {
    if (user.role === 'admin') return ['*'];
    return this.db
      .prepare<[string], string>(
        'SELECT DISTINCT tp.portfolio_id FROM team_members m JOIN team_portfolios tp ON tp.team_id = m.team_id WHERE m.user_id = ? ORDER BY 1',
      )
      .pluck()
      .all(user.id);
  }
}

function toUser(r: UserRow): User {
  return { id: r.id, name: r.name, email: r.email, role: roleSchema.parse(r.role), disabled: r.disabled === 1, hasPassword: r.password_hash !== null };
}
