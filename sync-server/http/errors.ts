import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every refusal the API sends has this shape, so a client shows `message` and acts on `code`. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
  const body: ApiError = { error: details === undefined ? { code, message } : { code, message, details } };
  return c.json(body, status);
}
