/**
 * Authorization of the HTTP API, fail-closed: every `/api/*` request needs a valid Bearer token except
 * the few public routes listed here, so a route added later is protected without anyone remembering to.
 *
 * Per request: the token is verified (signature, expiry, claims shape), then the user is re-read (two
 * indexed SQLite reads): they must still exist and not be disabled, and what they may do is what both
 * the token and their current role and teams allow. So disabling a user, demoting them or taking them
 * off a team takes effect at the next request instead of when the token ends, and a long-lived script
 * token (`dunwell token`) never grants more than its claims. A portfolio named in the path must be one
 * the caller may open; what a role may do on a route is stated at the route with `requireRole`.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { AUTH_ERRORS } from '../../src/protocol/auth';
import { canAccessPortfolio, type Role, type TokenClaims } from '../../src/protocol/token';
import type { AuthService } from '../auth/auth-service';
import type { User } from '../auth/user-store';
import { apiError } from './errors';

/** What a request may do: the token's claims narrowed by the user's current role and teams. */
export interface Access {
  readonly user: User;
  readonly claims: TokenClaims;
  /** The user's current portfolios (`['*']` for an admin). */
  readonly portfolios: string[];
}

export interface ApiEnv {
  Variables: { access: Access };
}

/** The portfolios the caller may open now: their current ones, narrowed by the token's claims. */
export function openPortfolios(access: Access): string[] {
  if (access.portfolios.includes('*')) return [...access.claims.portfolios];
  return access.portfolios.filter((p) => canAccessPortfolio(access.claims, p));
}

export function mayOpen(access: Access, portfolioId: string): boolean {
  return canAccessPortfolio(access.claims, portfolioId) && canAccessPortfolio(access, portfolioId);
}

/** Routes anyone may call: health for load balancers and the app's online check, and the ways to get a token. */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['GET /api/health', 'HEAD /api/health', 'POST /api/auth/sign-in']);

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i;
const PORTFOLIO_PATH = /^\/api\/portfolios\/([^/]+)/;

export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return BEARER.exec(header.trim())?.[1];
}

function unauthorized(c: Context<ApiEnv>, code: string, message: string) {
  // RFC 6750: a 401 names the scheme, so generic HTTP clients know what to send.
  c.header('WWW-Authenticate', `Bearer realm="dunwell", error="invalid_token"`);
  return apiError(c, 401, code, message);
}

export function authorize(auth: AuthService): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (PUBLIC_ROUTES.has(`${c.req.method} ${c.req.path}`)) return next();
    const header = c.req.header('authorization');
    const token = bearerToken(header);
    if (token === undefined) {
      return header === undefined
        ? unauthorized(c, AUTH_ERRORS.missingToken, 'sign in first: send Authorization: Bearer <token>')
        : unauthorized(c, AUTH_ERRORS.invalidToken, 'the Authorization header is not "Bearer <token>"');
    }
    const verdict = await auth.tokens.verify(token);
    if (!verdict.ok) {
      return verdict.reason === 'expired'
        ? unauthorized(c, AUTH_ERRORS.tokenExpired, 'the token has expired: sign in again')
        : unauthorized(c, AUTH_ERRORS.invalidToken, 'the token is not one this server signed');
    }
    const user = auth.activeUser(verdict.claims.sub);
    if (user === undefined) return unauthorized(c, AUTH_ERRORS.userDisabled, 'this user is disabled or no longer exists');
    const access: Access = { user, claims: verdict.claims, portfolios: auth.users.portfoliosOf(user) };
    const inPath = PORTFOLIO_PATH.exec(c.req.path)?.[1];
    if (inPath !== undefined && !mayOpen(access, decoded(inPath)))
      return apiError(c, 403, AUTH_ERRORS.forbiddenPortfolio, `your teams do not work the portfolio ${JSON.stringify(decoded(inPath))}`);
    c.set('access', access);
    return next();
  };
}

/** Lets the route run only when `allowed` accepts both the token's role and the user's current one. */
export function requireRole(allowed: (role: Role) => boolean, what: string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const { claims, user } = c.get('access');
    const refused = [claims.role, user.role].find((r) => !allowed(r));
    if (refused !== undefined) return apiError(c, 403, AUTH_ERRORS.forbiddenRole, `a ${refused} may not ${what}`);
    return next();
  };
}

/** The client's address for the sign-in backoff: the socket's peer (a proxy in front is one address). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No Node socket (an in-process `app.request` in a test): one shared bucket.
    return 'unknown';
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
