/**
 * The sign-in contract of the HTTP API (`/api/auth/*`, docs/api.md), shared by the server, which
 * answers with these shapes, and the app, which parses every answer with them.
 */
import { z } from 'zod';
import { roleSchema } from './token';

export const signInRequestSchema = z.object({
  /** A user id or an e-mail address. */
  user: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const sessionUserSchema = z.object({ id: z.string().min(1), name: z.string(), role: roleSchema });
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** What sign-in and refresh answer: a short-lived token and who it speaks for. */
export const sessionSchema = z.object({
  token: z.string().min(1),
  /** ISO instant; refresh before it while online. */
  expiresAt: z.iso.datetime(),
  user: sessionUserSchema,
  /** The portfolios the token opens (`['*']`: every one, for an admin). */
  portfolios: z.array(z.string().min(1)),
});
export type Session = z.infer<typeof sessionSchema>;

/** `GET /api/auth/me`: the caller as the server knows them now, and when their token ends. */
export const meSchema = z.object({
  user: sessionUserSchema.extend({ email: z.string().nullable() }),
  portfolios: z.array(z.string().min(1)),
  expiresAt: z.iso.datetime(),
});
export type Me = z.infer<typeof meSchema>;

/** Error codes of the auth layer, so a client can tell "sign in again" from "not yours" from "wait". */
export const AUTH_ERRORS = {
  /** 401: no `Authorization: Bearer` header. */
  missingToken: 'missing_token',
  /** 401: the token's time is up; refresh is no longer possible, sign in again. */
  tokenExpired: 'token_expired',
  /** 401: forged, malformed, or signed with a secret the server no longer has. */
  invalidToken: 'invalid_token',
  /** 401 on a token, 403 on sign-in with the right password: the user was disabled or removed. */
  userDisabled: 'user_disabled',
  /** 401: wrong password or unknown user (the same answer for both). */
  badCredentials: 'bad_credentials',
  /** 429: too many failed sign-ins for this user or from this address; `details.retryAfter` seconds. */
  tooManyAttempts: 'too_many_attempts',
  /** 403: the token does not open the portfolio in the path. */
  forbiddenPortfolio: 'forbidden_portfolio',
  /** 403: the role may not do this (a viewer or collector importing, say). */
  forbiddenRole: 'forbidden_role',
} as const;
