/**
 * `GET /api/portfolios/:id/facts/archive/:period`: the facts of an archived month (docs/sync.md,
 * "Rotation and archive"), read from the fact store the relay projects into. A month is archived once
 * it leaves the live window; its room is closed on the relay, so this is how a device reads it.
 *
 * Mounted by server.ts after the API app, whose `/api/*` middleware (authorize.ts) has verified the
 * token and the caller's access to the portfolio in the path; the handler still refuses if no access
 * was established, so a mounting mistake fails closed.
 */
import { Hono } from 'hono';
import { AUTH_ERRORS } from '../../src/protocol/auth';
import { periodSchema, roomAvailability } from '../../src/protocol/rooms';
import type { FactStore } from '../store/fact-store';
import { mayOpen, type Access, type ApiEnv } from './authorize';
import { apiError } from './errors';

export function archiveRoutes(facts: FactStore, now: () => number): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/api/portfolios/:id/facts/archive/:period', (c) => {
    const access = c.get('access') as Access | undefined;
    const portfolioId = c.req.param('id');
    if (access === undefined) return apiError(c, 401, AUTH_ERRORS.missingToken, 'sign in first: send Authorization: Bearer <token>');
    if (!mayOpen(access, portfolioId)) return apiError(c, 403, AUTH_ERRORS.forbiddenPortfolio, `your teams do not work the portfolio ${JSON.stringify(portfolioId)}`);
    const period = periodSchema.safeParse(c.req.param('period'));
    if (!period.success) return apiError(c, 400, 'bad_period', 'expected a period YYYY-MM');
    const availability = roomAvailability({ kind: 'facts', portfolioId, period: period.data }, new Date(now()).toISOString());
    if (availability === 'live')
      return apiError(c, 409, 'period_live', `${period.data} is live: its facts are in the room ${portfolioId}.facts.${period.data} on the relay`);
    if (availability === 'not-open') return apiError(c, 404, 'period_not_open', `${period.data} has not begun`);
    return c.json({ portfolioId, period: period.data, facts: facts.listPeriod(portfolioId, period.data) });
  });
  return app;
}
