/**
 * Presence through awareness on the config doc (one socket per portfolio carries it): who is on which
 * account now. Awareness states come from other devices, so they are parsed like any other value read
 * from the network; a state that does not parse is ignored (it is ephemeral: nothing to quarantine).
 */
import { z } from 'zod';
import type { Awareness } from 'y-protocols/awareness';
import type { PresencePeer } from '../app/ports';

export const presenceStateSchema = z.object({
  user: z.object({ id: z.string().min(1).max(128), name: z.string().max(200) }),
  accountNumber: z.string().min(1).max(200).nullable(),
  since: z.string().max(40),
});
export type PresenceState = z.infer<typeof presenceStateSchema>;

export function setPresence(awareness: Awareness, state: { userId: string; name: string; accountNumber: string | null; since: string } | null): void {
  if (state === null) {
    awareness.setLocalState(null);
    return;
  }
  const next: PresenceState = { user: { id: state.userId, name: state.name }, accountNumber: state.accountNumber, since: state.since };
  awareness.setLocalState(next);
}

/** Every other client's parsed presence (this client excluded), ordered by client id for stable output. */
export function peersOf(awareness: Awareness): PresencePeer[] {
  const out: PresencePeer[] = [];
  for (const [clientId, raw] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const p = presenceStateSchema.safeParse(raw);
    if (!p.success) continue;
    out.push({ clientId, userId: p.data.user.id, name: p.data.user.name, accountNumber: p.data.accountNumber, since: p.data.since });
  }
  return out.sort((a, b) => a.clientId - b.clientId);
}
