/**
 * Who may open which room, decided before the websocket upgrade completes. The checks, in order, so a
 * caller learns nothing about rooms before proving who they are:
 *  1. the sync subprotocol version, when one is offered (4426 if only other versions are);
 *  2. the token (from `Sec-WebSocket-Protocol`, else the `token` query parameter): present, signed by
 *     us, not expired, and its user still exists and is not disabled (4401);
 *  3. the room name is one of the layout's (4404);
 *  4. the portfolio is in both the token's claims and the user's current teams (4403);
 *  5. the portfolio exists and, for a facts room, its month is live (4404: archived months are read
 *     over HTTP).
 * Writing needs a writing role in both the token and the user's current record (a viewer reads only).
 */
import { CLOSE } from '../../src/protocol/close-codes';
import { parseRoomName, roomAvailability, type Room } from '../../src/protocol/rooms';
import { SYNC_SUBPROTOCOL, SYNC_SUBPROTOCOL_PATTERN, tokenFromSubprotocols } from '../../src/protocol/sync-auth';
import { canAccessPortfolio, canWrite, type Role, type TokenClaims } from '../../src/protocol/token';
import type { RefusalReason } from './metrics';

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

/** What the relay needs to know about users; server.ts builds it from the auth service. */
export interface RelayIdentity {
  verify(token: string | undefined): Promise<VerifyResult>;
  /** The user's current role and portfolios (`['*']` for every one), or undefined if unknown or disabled. */
  currentUser(userId: string): { readonly role: Role; readonly portfolios: readonly string[] } | undefined;
  portfolioExists(portfolioId: string): boolean;
}

export interface Admitted {
  readonly ok: true;
  readonly roomName: string;
  readonly room: Room;
  readonly userId: string;
  readonly canWrite: boolean;
}

export interface Refused {
  readonly ok: false;
  readonly code: number;
  readonly reason: RefusalReason;
  /** Sent as the close reason: says what to do, never anything secret. */
  readonly why: string;
}

export interface UpgradeRequest {
  readonly roomName: string;
  readonly offeredProtocols: readonly string[];
  readonly queryToken: string | undefined;
}

export async function admit(request: UpgradeRequest, identity: RelayIdentity, nowIso: string): Promise<Admitted | Refused> {
  const versions = request.offeredProtocols.filter((p) => SYNC_SUBPROTOCOL_PATTERN.test(p));
  if (versions.length > 0 && !versions.includes(SYNC_SUBPROTOCOL))
    return refused(CLOSE.unsupportedVersion, 'unsupported_version', `this server speaks ${SYNC_SUBPROTOCOL}: update the app`);
  const token = tokenFromSubprotocols(request.offeredProtocols) ?? request.queryToken;
  const verdict = await identity.verify(token);
  if (!verdict.ok) return refused(CLOSE.unauthorized, 'unauthorized', token === undefined || token === '' ? 'no token: sign in' : `token ${verdict.reason}: sign in again`);
  const claims = verdict.claims;
  const user = identity.currentUser(claims.sub);
  if (user === undefined) return refused(CLOSE.unauthorized, 'unauthorized', 'user disabled or unknown');
  const room = parseRoomName(request.roomName);
  if (room === undefined) return refused(CLOSE.notFound, 'unknown_room', 'no such room');
  if (!canAccessPortfolio(claims, room.portfolioId) || !canAccessPortfolio({ portfolios: [...user.portfolios] }, room.portfolioId))
    return refused(CLOSE.forbidden, 'forbidden', 'your teams do not work this portfolio');
  if (!identity.portfolioExists(room.portfolioId)) return refused(CLOSE.notFound, 'unknown_room', 'no such portfolio');
  const availability = roomAvailability(room, nowIso);
  if (availability === 'archived') return refused(CLOSE.notFound, 'unknown_room', `archived: GET /api/portfolios/${room.portfolioId}/facts/archive/${room.kind === 'facts' ? room.period : ''}`);
  if (availability === 'not-open') return refused(CLOSE.notFound, 'unknown_room', 'this month is not open yet');
  return { ok: true, roomName: request.roomName, room, userId: claims.sub, canWrite: canWrite(claims.role) && canWrite(user.role) };
}

function refused(code: number, reason: RefusalReason, why: string): Refused {
  return { ok: false, code, reason, why };
}
