/**
 * Click-to-contact links for a collections contact's channels, and whether each may be offered. The
 * account-level rules (do not contact, cease) and a channel's own opt-out are hard stops; SMS needs
 * prior consent (autodialled texts, as compliance.ts's no-consent rule says). Time rules (calling
 * hours, caps, quiet period) block the method, not a number: the compliance block above the links
 * says those.
 */
import type { Account, ContactChannel } from '../../domain/ledger';

export type ChannelLink = { readonly href: string; readonly label: string; readonly blocked?: undefined } | { readonly href?: undefined; readonly label: string; readonly blocked: string };

export function linkFor(channel: ContactChannel, account: Pick<Account, 'restrictions'>, message: { subject: string; body: string }): ChannelLink | null {
  const r = account.restrictions;
  const label = LABELS[channel.kind];
  if (label === undefined) return null;
  if (r.doNotContact) return { label, blocked: 'Do not contact' };
  if (r.cease) return { label, blocked: 'Cease communication' };
  if (channel.optedOut) return { label, blocked: 'Opted out' };
  const q = (params: Record<string, string>) =>
    Object.entries(params)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
  switch (channel.kind) {
    case 'phone':
    case 'mobile':
      return { href: `tel:${channel.value.replace(/[^\d+]/g, '')}`, label };
    case 'email':
      return { href: `mailto:${channel.value}?${q({ subject: message.subject, body: message.body })}`, label };
    case 'sms':
      if (!channel.consent) return { label, blocked: 'No consent' };
      return { href: `sms:${channel.value.replace(/[^\d+]/g, '')}?${q({ body: message.body })}`, label };
    default:
      return null;
  }
}

const LABELS: Partial<Record<ContactChannel['kind'], string>> = { phone: 'Call', mobile: 'Call mobile', email: 'Email', sms: 'Text' };
