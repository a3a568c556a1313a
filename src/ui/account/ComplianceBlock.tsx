import type { ComplianceVerdict } from '../../domain/compliance';
import { formatDateTime, formatDateTimeIn } from '../common/format';
import { ruleTitle } from '../common/labels';

/** Why the next contact may not happen now, and when it may: in the collector's and the debtor's time. */
export function ComplianceBlock({ verdict, timeZone }: { readonly verdict: ComplianceVerdict | undefined; readonly timeZone: string }) {
  if (verdict === undefined || verdict.allowed) return null;
  return (
    <section className="compliance card" aria-labelledby="compliance-heading">
      <h2 id="compliance-heading">Contact blocked: {ruleTitle(verdict.rule)}</h2>
      <p>{verdict.reason}</p>
      <p>
        {verdict.nextAllowedAt === undefined ? (
          'Contact stays blocked until the account’s data changes.'
        ) : (
          <>
            Next allowed <strong>{formatDateTime(verdict.nextAllowedAt)}</strong> your time ({formatDateTimeIn(verdict.nextAllowedAt, timeZone)} for the customer).
          </>
        )}
      </p>
    </section>
  );
}
