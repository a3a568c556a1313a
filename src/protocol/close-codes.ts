/**
 * Websocket close codes the relay uses. 4401/4403 mean "do not retry with the same credentials": a
 * browser sees a refused upgrade as a network error and would retry forever, so the relay accepts the
 * upgrade and then closes with one of these, and the client stops and asks the user to sign in.
 */
export const CLOSE = {
  /** No token, or an expired, forged or malformed one: sign in again. */
  unauthorized: 4401,
  /** A valid token that does not give access to this room. */
  forbidden: 4403,
  /**
   * No such room: a name that is not one of the layout's, a portfolio the server does not hold, or a
   * facts period that is archived (read it over HTTP) or not open yet. Retrying the same name cannot help.
   */
  notFound: 4404,
  /** A frame the protocol does not allow (text, truncated, garbage): the connection is dropped. */
  protocolError: 4400,
  /** Too many messages or bytes from this connection. */
  rateLimited: 4429,
  /** The client speaks a protocol version the server no longer accepts. */
  unsupportedVersion: 4426,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Codes after which a client must not reconnect on its own. */
export const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([CLOSE.unauthorized, CLOSE.forbidden, CLOSE.notFound, CLOSE.unsupportedVersion]);
