/**
 * How a device presents its token to the relay (docs/sync.md, "Authentication").
 *
 * A browser's WebSocket cannot set an Authorization header, so the token travels in the
 * `Sec-WebSocket-Protocol` list next to the sync subprotocol: `[SYNC_SUBPROTOCOL, 'dunwell-token.<jwt>']`
 * (a JWT is base64url with dots, all valid header token characters). The relay answers with
 * SYNC_SUBPROTOCOL, never with the token, so the token is not echoed into response headers or proxy
 * logs. A `token` query parameter also works (`WebsocketProvider` `params: { token }`) for clients that
 * cannot set protocols; the subprotocol wins when both are present.
 */

/** The subprotocol the relay answers with; its suffix is the sync protocol's version. */
export const SYNC_SUBPROTOCOL = 'dunwell-sync.1';
/** Any `dunwell-sync.<n>` a client may offer; an offer of only other versions is refused with 4426. */
export const SYNC_SUBPROTOCOL_PATTERN = /^dunwell-sync\.\d+$/;
export const TOKEN_SUBPROTOCOL_PREFIX = 'dunwell-token.';

/** The `protocols` to give a WebSocket or `WebsocketProvider` for this token. */
export function syncSubprotocols(token: string): string[] {
  return [SYNC_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** The token among offered subprotocols, if any. */
export function tokenFromSubprotocols(offered: Iterable<string>): string | undefined {
  for (const p of offered) if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return p.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  return undefined;
}

/** The path of a room on the relay: `/sync/<room>` (the room name needs no escaping). */
export const SYNC_PATH_PREFIX = '/sync/';
