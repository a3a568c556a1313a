/**
 * The wire protocol's version, shared by the app and the server. Bump it on any change a peer on the
 * old version could misread, and add a line below.
 *
 * History:
 * - 1 (2026-11-24): ledger pull `GET /api/portfolios/:id/ledger?since=N` → { since, cursor, rows… }.
 */
export const PROTOCOL_VERSION = 1;
