import type { Context, Env, Input } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every refusal the API sends has this shape, so a client shows `message` and acts on `code`. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export function apiError<E extends Env, P extends string, I extends Input>(c: Context<E, P, I>, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
  const body: ApiError = { error: details === undefined ? { code, message } : { code, message, details } };
  return c.json(body, status);
}
