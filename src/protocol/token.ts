/**
 * The claims of the short-lived token a device presents to the HTTP API (`Authorization: Bearer`) and to
 * the relay (before the websocket upgrade completes). Signed by the server; a device only reads them.
 */
import { z } from 'zod';

export const ROLES = ['collector', 'manager', 'viewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const TOKEN_VERSION = 1;

export const tokenClaimsSchema = z.object({
  v: z.literal(TOKEN_VERSION),
  /** The user id. */
  sub: z.string().min(1),
  name: z.string(),
  role: roleSchema,
  /** Portfolios the user's teams give access to (every portfolio for an admin: `['*']`). */
  portfolios: z.array(z.string().min(1)),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

/** Roles that may write team facts and import; a viewer only reads. */
export function canWrite(role: Role): boolean {
  return role !== 'viewer';
}

/** Roles that may change a portfolio's ledger (create or rename it, import): managers and admins. */
export function canManagePortfolio(role: Role): boolean {
  return role === 'manager' || role === 'admin';
}

export function canAccessPortfolio(claims: Pick<TokenClaims, 'portfolios'>, portfolioId: string): boolean {
  return claims.portfolios.includes('*') || claims.portfolios.includes(portfolioId);
}
