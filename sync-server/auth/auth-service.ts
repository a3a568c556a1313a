/**
 * Sign-in and token refresh: the rules, without HTTP. A token always carries the portfolios the user's
 * teams give *now*, so refresh re-reads them: a user taken off a team loses the portfolio at the next
 * refresh, and a disabled user cannot refresh at all.
 */
import { randomBytes } from 'node:crypto';
import type { Session } from '../../src/protocol/auth';
import { hashPassword, verifyPassword } from './passwords';
import type { SignInLimiter } from './sign-in-limiter';
import { DEFAULT_TOKEN_SECONDS, type TokenIssuer } from './tokens';
import type { SqliteUserStore, User } from './user-store';

export type SignInResult =
  | { ok: true; session: Session }
  | { ok: false; reason: 'bad_credentials' | 'disabled' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export class AuthService {
  readonly users: SqliteUserStore;
  readonly tokens: TokenIssuer;
  private readonly limiter: SignInLimiter;
  private readonly tokenSeconds: number;
  private dummyHash: Promise<string> | undefined;

  constructor(o: { users: SqliteUserStore; tokens: TokenIssuer; limiter: SignInLimiter; tokenSeconds?: number }) {
    this.users = o.users;
    this.tokens = o.tokens;
    this.limiter = o.limiter;
    this.tokenSeconds = o.tokenSeconds ?? DEFAULT_TOKEN_SECONDS;
  }

  async signIn(login: string, password: string, address: string): Promise<SignInResult> {
    const gate = this.limiter.check(login, address);
    if (!gate.ok) return { ok: false, reason: 'locked', retryAfterSeconds: gate.retryAfterSeconds };
    const found = this.users.credentials(login);
    // An unknown user, or one without a password yet, costs the same scrypt run as a wrong password,
    // so the answer's timing does not say whether the user exists.
    const hash = found?.passwordHash ?? (await this.dummy());
    const match = await verifyPassword(password, hash);
    if (found === undefined || found.passwordHash === null || !match) {
      this.limiter.failed(login, address);
      return { ok: false, reason: 'bad_credentials' };
    }
    this.limiter.succeeded(login);
    // Told only to someone who knows the password, so it gives nothing away.
    if (found.user.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, session: await this.sessionFor(found.user) };
  }

  /** The user behind a token, if they still exist and are not disabled. */
  activeUser(id: string): User | undefined {
    const u = this.users.user(id);
    return u === undefined || u.disabled ? undefined : u;
  }

  async sessionFor(user: User, seconds = this.tokenSeconds): Promise<Session> {
    const portfolios = this.users.portfoliosOf(user);
    const { token, expiresAt } = await this.tokens.issue({ id: user.id, name: user.name, role: user.role, portfolios }, seconds);
    return { token, expiresAt, user: { id: user.id, name: user.name, role: user.role }, portfolios };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
