/** `/api/auth/*`: sign-in, refresh and who-am-I (docs/api.md). Tokens are refused or accepted in authorize.ts. */
import type { Hono } from 'hono';
import { AUTH_ERRORS, signInRequestSchema, type Me } from '../../src/protocol/auth';
import type { AuthService } from '../auth/auth-service';
import { clientAddress, openPortfolios, type ApiEnv } from './authorize';
import { apiError } from './errors';

export function authRoutes(app: Hono<ApiEnv>, auth: AuthService): void {
  app.post('/api/auth/sign-in', async (c) => {
    const body = signInRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return apiError(c, 400, 'bad_request', 'expected a JSON body {"user": "<id or e-mail>", "password": "…"}');
    const result = await auth.signIn(body.data.user, body.data.password, clientAddress(c));
    if (result.ok) return c.json(result.session);
    switch (result.reason) {
      case 'locked':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return apiError(c, 429, AUTH_ERRORS.tooManyAttempts, `too many failed sign-ins: try again in ${result.retryAfterSeconds} s`, {
          retryAfter: result.retryAfterSeconds,
        });
      case 'disabled':
        return apiError(c, 403, AUTH_ERRORS.userDisabled, 'this user is disabled: ask an administrator');
      case 'bad_credentials':
        return apiError(c, 401, AUTH_ERRORS.badCredentials, 'wrong user or password');
    }
  });

  // A fresh token from a valid one, re-reading the user's role and teams (authorize.ts has already
  // refused an expired token and a disabled or removed user).
  app.post('/api/auth/refresh', async (c) => c.json(await auth.sessionFor(c.get('access').user)));

  app.get('/api/auth/me', (c) => {
    const access = c.get('access');
    const { user, claims } = access;
    const me: Me = {
      user: { id: user.id, name: user.name, role: user.role, email: user.email },
      portfolios: openPortfolios(access),
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    };
    return c.json(me);
  });
}
