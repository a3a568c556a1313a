import type { AccountView } from '../../../app/collector-app';

export const ACTION_PANELS = ['log', 'promise', 'dispute', 'payment', 'follow-up', 'hold', 'escalate'] as const;
export type ActionPanelId = (typeof ACTION_PANELS)[number];

export interface FormProps {
  readonly view: AccountView;
  /** Invoices chosen in the invoice table. */
  readonly selected: ReadonlySet<string>;
  readonly me: string;
  /** The command was accepted: the panel closes and says this. */
  readonly onDone: (message: string) => void;
}

/** The account's main currency: the worklist's, else its first open document's. */
export function currencyOf(view: AccountView): string {
  return view.entry?.decision.metrics.currency ?? view.documents.find((d) => d.status === 'open')?.currency ?? 'USD';
}

/** Warnings that come with an accepted command (a contact logged outside calling hours), for the message. */
export function withWarnings(message: string, warnings: readonly string[]): string {
  return warnings.length === 0 ? message : `${message} Note: ${warnings.join(' ')}`;
}
