import { useMemo, useState } from 'react';
import type { AccountView } from '../../app/collector-app';
import { formatDate, formatDateTime, formatNumber } from '../common/format';
import { buildTimeline } from './timeline';

const FIRST_SHOWN = 30;

export function Timeline({ view }: { readonly view: AccountView }) {
  const items = useMemo(() => buildTimeline(view.facts, view.documents, view.payments), [view.facts, view.documents, view.payments]);
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST_SHOWN);
  if (items.length === 0) return <p className="muted">Nothing has happened on this account yet.</p>;
  return (
    <>
      <ol className="timeline plain-list">
        {shown.map((it) => (
          <li key={it.key} className={`timeline-item timeline-${it.source}`}>
            <time dateTime={it.date ?? it.at}>{it.date === undefined ? formatDateTime(it.at) : formatDate(it.date)}</time>
            <div>
              <strong>{it.title}</strong>
              {it.by !== undefined && <span className="muted"> · {it.by}</span>}
              {it.detail !== '' && <div>{it.detail}</div>}
            </div>
          </li>
        ))}
      </ol>
      {items.length > FIRST_SHOWN && (
        <button type="button" className="link-button" onClick={() => setAll(!all)} aria-pressed={all}>
          {all ? 'Show the latest only' : `Show all ${formatNumber(items.length)} events`}
        </button>
      )}
    </>
  );
}
