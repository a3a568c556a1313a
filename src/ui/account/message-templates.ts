/**
 * Texts for the strategy's template ids (strategy-presets.ts names them: payment-reminder,
 * second-notice…), used to prefill e-mail and SMS links. A strategy may name a template this file does
 * not know: the generic reminder stands in, so a link is never empty.
 */
export interface MessageContext {
  readonly customer: string;
  readonly accountNumber: string;
  readonly pastDue: string;
  readonly balance: string;
  readonly invoices: string;
  readonly collector: string;
}

interface Template {
  readonly subject: string;
  readonly body: string;
}

const GENERIC: Template = {
  subject: 'Your account {accountNumber}',
  body: 'Dear {customer},\n\nOur records show {pastDue} past due on account {accountNumber} (invoices {invoices}). Please let us know when we can expect payment.\n\nKind regards,\n{collector}',
};

const TEMPLATES: Readonly<Record<string, Template>> = {
  'courtesy-reminder': {
    subject: 'Upcoming payment for account {accountNumber}',
    body: 'Dear {customer},\n\nA friendly reminder that invoices {invoices} fall due soon. Thank you for paying on time.\n\nKind regards,\n{collector}',
  },
  'due-today': { subject: 'Payment due today: account {accountNumber}', body: 'Dear {customer},\n\nInvoices {invoices} are due today.\n\nKind regards,\n{collector}' },
  'payment-reminder': GENERIC,
  'past-due-notice': GENERIC,
  'second-notice': {
    subject: 'Second notice: {pastDue} past due on account {accountNumber}',
    body: 'Dear {customer},\n\nWe have not yet received payment of {pastDue} for invoices {invoices}. Please pay now or call us to agree a date.\n\nKind regards,\n{collector}',
  },
  'final-demand': {
    subject: 'Final demand: account {accountNumber}',
    body: 'Dear {customer},\n\n{pastDue} remains unpaid on invoices {invoices}. Unless we receive payment or hear from you within 7 days we will take further steps.\n\n{collector}',
  },
  'missed-payment': { subject: '', body: '{customer}: we missed your payment of {pastDue} on account {accountNumber}. Reply or call us to arrange it. {collector}' },
  'payment-plan-offer': { subject: '', body: '{customer}: we can spread {pastDue} into instalments. Call us to set up a payment plan. {collector}' },
};

export function renderTemplate(id: string | undefined, ctx: MessageContext): Template {
  const t = (id === undefined ? undefined : TEMPLATES[id]) ?? GENERIC;
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (all, key: string) => (key in ctx ? ctx[key as keyof MessageContext] : all));
  return { subject: fill(t.subject), body: fill(t.body) };
}
