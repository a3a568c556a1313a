/**
 * Activity outcomes are data: a team may add its own codes. What the engine needs to know of each is
 * here: did we talk to the right party (a "conversation": Regulation F's 7-day quiet period after it,
 * the right-party-contact rate), and is a callback wanted.
 */
import { z } from 'zod';

export const outcomeSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  label: z.string().min(1),
  /** We spoke with the debtor (or their authorised representative) about the debt. */
  conversation: z.boolean().default(false),
  /** The channel reached nobody: no answer, wrong number… */
  noContact: z.boolean().default(false),
});
export type Outcome = z.infer<typeof outcomeSchema>;

export const DEFAULT_OUTCOME_LIST: readonly Outcome[] = [
  { code: 'no-answer', label: 'No answer', conversation: false, noContact: true },
  { code: 'left-message', label: 'Left message', conversation: false, noContact: false },
  { code: 'wrong-number', label: 'Wrong number', conversation: false, noContact: true },
  { code: 'right-party-contact', label: 'Right-party contact', conversation: true, noContact: false },
  { code: 'promise-taken', label: 'Promise to pay taken', conversation: true, noContact: false },
  { code: 'dispute-raised', label: 'Dispute raised', conversation: true, noContact: false },
  { code: 'refused', label: 'Refused to pay', conversation: true, noContact: false },
  { code: 'says-paid', label: 'Says paid', conversation: true, noContact: false },
  { code: 'callback-requested', label: 'Callback requested', conversation: true, noContact: false },
  { code: 'third-party-contact', label: 'Third-party contact', conversation: false, noContact: false },
  { code: 'sent', label: 'Sent', conversation: false, noContact: false },
];

export function outcomeIndex(list: readonly Outcome[] = DEFAULT_OUTCOME_LIST): ReadonlyMap<string, Outcome> {
  return new Map(list.map((o) => [o.code, o]));
}
