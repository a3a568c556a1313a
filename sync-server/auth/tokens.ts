/**
 * Short-lived signed tokens (JWT, HS256, jose). The secret is 32 random bytes kept in the data folder,
 * made on first start; rotating it (delete the file) signs everyone out. Verification parses the claims
 * with the protocol's zod schema, so a token signed by us but of another shape is refused too.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { TOKEN_VERSION, tokenClaimsSchema, type Role, type TokenClaims } from '../../src/protocol/token';

export const DEFAULT_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'dunwell';

export function loadOrCreateSecret(file: string): Uint8Array {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length < 32) throw new Error(`the token secret in ${file} is too short; delete it to make a new one`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

export class TokenIssuer {
  private readonly secret: Uint8Array;
  private readonly now: () => number;

  constructor(secret: Uint8Array, now: () => number = () => Date.now()) {
    this.secret = secret;
    this.now = now;
  }

  async issue(user: { id: string; name: string; role: Role; portfolios: readonly string[] }, seconds = DEFAULT_TOKEN_SECONDS): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + seconds;
    const token = await new SignJWT({ v: TOKEN_VERSION, name: user.name, role: user.role, portfolios: [...user.portfolios] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.secret);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string | undefined): Promise<VerifyResult> {
    if (token === undefined || token === '') return { ok: false, reason: 'missing' };
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      const claims = tokenClaimsSchema.safeParse(payload);
      return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'invalid' };
    } catch (e) {
      return { ok: false, reason: (e as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
    }
  }
}
