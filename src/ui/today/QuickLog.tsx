import { useState } from 'react';
import type { WorklistRow } from '../../app/collector-app';
import type { ActivityChannel } from '../../domain/facts';
import { CHANNEL_LABELS, outcomeLabel } from '../common/labels';
import { useApp } from '../common/useApp';
import { useCommand } from '../common/useCommand';

/** The outcomes of a call made from the list, one tap each; anything more is on the account's screen. */
const QUICK = ['no-answer', 'left-message', 'right-party-contact'] as const;

/**
 * Log a call or visit straight from Today: the account is re-scored and the list re-ranks under the
 * collector's finger, without opening the account. The strategy step it carries out is read from the
 * account at the moment of logging (rows do not carry step ids).
 */
export function QuickLog({ row, onLogged }: { readonly row: WorklistRow; readonly onLogged: (message: string) => void }) {
  const app = useApp();
  const { busy, error, run } = useCommand();
  const channel: ActivityChannel = row.next?.channel === 'visit' ? 'visit' : 'call';
  const [done, setDone] = useState(false);
  const log = async (outcome: string) => {
    const next = app.account(row.accountNumber)?.entry?.decision.next;
    const result = await run('activity/log', {
      accountNumber: row.accountNumber,
      channel,
      outcome,
      ...(next?.stepId !== undefined && next.channel === channel ? { stepId: next.stepId } : {}),
    });
    if (result?.ok === true) {
      setDone(true);
      onLogged(`Logged for ${row.accountName}: ${CHANNEL_LABELS[channel]}, ${outcomeLabel(outcome)}.${result.warnings.length > 0 ? ` Note: ${result.warnings.join(' ')}` : ''}`);
    }
  };
  return (
    <div className="quick-log" role="group" aria-label={`Log a ${CHANNEL_LABELS[channel].toLowerCase()} on ${row.accountName}`}>
      {QUICK.map((o) => (
        <button key={o} type="button" disabled={busy || done} onClick={() => void log(o)}>
          {outcomeLabel(o)}
        </button>
      ))}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
