import type Database from 'better-sqlite3';
import { z } from 'zod';
import { roleSchema, type Role } from '../../src/protocol/token';

export const userIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'expected a user id of lowercase letters, digits, dots, dashes' });
export const teamIdSchema = userIdSchema;

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
  readonly disabled: boolean;
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
    this.db
      .prepare('INSERT INTO users (id, name, email, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.id, u.name, u.email ?? null, u.role, u.passwordHash ?? null, new Date().toISOString());
    return this.user(u.id) as User;
  }

  setPassword(userId: string, passwordHash: string): void {
    const r = this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
    if (r.changes === 0) throw new RangeError(`no user ${userId}`);
  }

  user(id: string): User | undefined {
    const r = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return r && toUser(r);
  }

  /** The user and their password hash, by id or e-mail, for sign-in. */
  credentials(login: string): { user: User; passwordHash: string | null } | undefined {
    const r = this.db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE id = ? OR email = ?').get(login, login);
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
  return { id: r.id, name: r.name, email: r.email, role: roleSchema.parse(r.role), disabled: r.disabled === 1 };
}
