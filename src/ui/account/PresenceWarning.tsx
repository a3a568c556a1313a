import type { PresenceUser } from '../../app/collector-app';
import { formatTime } from '../common/format';

/** A teammate has this account open: two collectors calling one debtor minutes apart is what this prevents. */
export function PresenceWarning({ presence, claimedBy, me }: { readonly presence: readonly PresenceUser[]; readonly claimedBy: string | undefined; readonly me: string }) {
  const claim = claimedBy !== undefined && claimedBy !== me && !presence.some((p) => p.userId === claimedBy) ? claimedBy : undefined;
  if (presence.length === 0 && claim === undefined) return null;
  return (
    <p role="alert" className="warning presence-warning">
      {presence.map((p) => `${p.name} has had this account open since ${formatTime(p.since)}`).join('; ')}
      {claim !== undefined && `${presence.length > 0 ? '; ' : ''}${claim} has claimed this account`}. Check with them before you contact the customer.
    </p>
  );
}
