import { SignJWT } from 'jose';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../sync-server/auth/passwords';
import { TokenIssuer, loadOrCreateSecret } from '../../sync-server/auth/tokens';
import { SqliteUserStore } from '../../sync-server/auth/user-store';
import { SqliteLedgerStore } from '../../sync-server/store/sqlite-ledger-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('passwords (scrypt)', () => {
  it('verifies the right password and refuses a wrong one; the same password hashes differently each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
  });

  it('refuses a short password', async () => {
    await expect(hashPassword('short')).rejects.toThrow(/at least 10/);
  });
});

describe('tokens', () => {
  const secret = new Uint8Array(32).fill(7);
  const user = { id: 'u-ana', name: 'Ana', role: 'collector' as const, portfolios: ['north'] };

  it('issues a token whose claims verify', async () => {
    const issuer = new TokenIssuer(secret, () => Date.parse('2026-11-24T10:00:00Z'));
    const { token, expiresAt } = await issuer.issue(user, 900);
    expect(expiresAt).toBe('2026-11-24T10:15:00.000Z');
    const v = await issuer.verify(token);
    expect(v).toMatchObject({ ok: true, claims: { sub: 'u-ana', role: 'collector', portfolios: ['north'], v: 1 } });
  });

  it('refuses an expired, a forged, a malformed and a missing token, saying which', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const issuer = new TokenIssuer(secret, () => now);
    const { token } = await issuer.issue(user, 60);
    now += 61_000;
    expect(await issuer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    now -= 61_000;
    const forged = await new TokenIssuer(new Uint8Array(32).fill(8), () => now).issue({ ...user, role: 'admin' });
    expect(await issuer.verify(forged.token)).toEqual({ ok: false, reason: 'invalid' });
    expect(await issuer.verify('not.a.token')).toEqual({ ok: false, reason: 'invalid' });
    expect(await issuer.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    // Signed with our secret but not our claims: refused by the protocol's schema.
    const odd = await new SignJWT({ role: 'owner' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('dunwell').setSubject('x').setIssuedAt().setExpirationTime('5m').sign(secret);
    expect(await issuer.verify(odd)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps the signing secret in the data folder, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dunwell-secret-'));
    dirs.push(dir);
    const file = join(dir, 'auth', 'token.key');
    const a = loadOrCreateSecret(file);
    expect(a.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadOrCreateSecret(file)).equals(Buffer.from(a))).toBe(true);
  });
});

describe('users and teams', () => {
  it("gives a user the portfolios of their teams, and an admin every portfolio", () => {
    const ledger = new SqliteLedgerStore(':memory:');
    const users = new SqliteUserStore(ledger.db);
    const ana = users.addUser({ id: 'u-ana', name: 'Ana', email: 'ana@example.test', role: 'collector' });
    const root = users.addUser({ id: 'root', name: 'Admin', role: 'admin' });
    users.addTeam({ id: 'north', name: 'North', portfolios: ['north-a', 'north-b'] });
    users.addTeam({ id: 'south', name: 'South', portfolios: ['south'] });
    users.addMember('north', 'u-ana');
    expect(users.portfoliosOf(ana)).toEqual(['north-a', 'north-b']);
    expect(users.portfoliosOf(root)).toEqual(['*']);
    expect(users.credentials('ana@example.test')?.user.id).toBe('u-ana');
    expect(() => users.addUser({ id: 'Bad Id', name: 'x', role: 'collector' })).toThrow(/user id/);
    expect(() => users.addUser({ id: 'u-ana', name: 'Again', role: 'collector' })).toThrow();
    ledger.close();
  });
});
