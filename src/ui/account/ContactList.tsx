import type { Account, CollectionsContact } from '../../domain/ledger';
import type { ActivityChannel } from '../../domain/facts';
import { linkFor } from './contact-links';

interface Props {
  readonly account: Account;
  readonly contacts: readonly CollectionsContact[];
  readonly message: { readonly subject: string; readonly body: string };
  /** A contact link was followed: the outcome form opens on that channel and contact. */
  readonly onContact: (channel: ActivityChannel, contactId: string) => void;
}

const ROLE = { ap: 'Accounts payable', billing: 'Billing', guarantor: 'Guarantor', legal: 'Legal', field: 'Field' } as const;
const KIND = { phone: 'Phone', mobile: 'Mobile', email: 'E-mail', sms: 'SMS', letter: 'Post', visit: 'Visit address' } as const;
const ACTIVITY = { phone: 'call', mobile: 'call', email: 'email', sms: 'sms', letter: 'letter', visit: 'visit' } as const;

/** Collections contacts with each channel's consent and opt-out, and the links a collector may use. */
export function ContactList({ account, contacts, message, onContact }: Props) {
  if (contacts.length === 0) return <p className="muted">No collections contact on file.</p>;
  return (
    <ul className="contacts plain-list">
      {contacts.map((c) => (
        <li key={c.id} className="contact">
          <h3>
            {c.name} <span className="muted">· {ROLE[c.role]}</span>
            {c.primary && <span className="flag">Primary</span>}
          </h3>
          <ul className="plain-list channels">
            {c.channels.map((ch, i) => {
              const link = linkFor(ch, account, message);
              const consent = ch.optedOut ? 'opted out' : ch.consent ? 'consent given' : 'no consent';
              return (
                <li key={`${ch.kind}-${i}`} className="channel">
                  <span>
                    <span className="channel-kind">{KIND[ch.kind]}</span> {ch.value}
                    <span className={`consent consent-${ch.optedOut ? 'out' : ch.consent ? 'yes' : 'no'}`}>{consent}</span>
                    {ch.atWork && <span className="consent consent-no">at work</span>}
                  </span>
                  {link !== null &&
                    (link.href !== undefined ? (
                      <a className="button" href={link.href} onClick={() => onContact(ACTIVITY[ch.kind], c.id)} aria-label={`${link.label} ${c.name} (${ch.value})`}>
                        {link.label}
                      </a>
                    ) : (
                      <span className="blocked-link">
                        {link.label}: {link.blocked}
                      </span>
                    ))}
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ul>
  );
}
