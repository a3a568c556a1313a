import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PresenceUser, WorklistRow } from '../../app/collector-app';
import type { AgingConfig } from '../../domain/aging';
import { todayScroll } from './worklist-filter-state';
import { TodayRow } from './TodayRow';

interface Props {
  readonly rows: readonly WorklistRow[];
  readonly presence: ReadonlyMap<string, readonly PresenceUser[]>;
  readonly aging: AgingConfig | undefined;
  readonly today: string;
  readonly me: string;
  readonly logging: string | null;
  readonly onLogToggle: (accountNumber: string) => void;
  readonly onLogged: (message: string) => void;
}

/** A row's height before it is measured (a phone wraps more, the measurement corrects it). */
const ESTIMATED_ROW = 168;

/**
 * The ranked list, virtualized against the window's scroll: only the rows on screen (plus a few) are
 * in the DOM, so 20k accounts paint as fast as 20. Rows are measured after render since their text
 * wraps differently on a phone and a tablet.
 */
export function WorklistList({ rows, presence, aging, today, me, logging, onLogToggle, onLogged }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  // The list's distance from the page top: the filters above it wrap differently by screen width.
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el === null) return;
    const m = Math.round(el.getBoundingClientRect().top + window.scrollY);
    if (m !== margin) setMargin(m);
  });
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    scrollMargin: margin,
    getItemKey: (i) => rows[i]?.accountNumber ?? i,
    initialOffset: () => todayScroll.y,
  });

  // The list mounts with its first rows: `npm run bench` reads this mark for "cold start to a painted Today list".
  useEffect(() => void performance.mark('dunwell:today-rows'), []);

  // Remember the scroll for the way back from an account.
  useEffect(() => {
    const save = () => {
      todayScroll.y = window.scrollY;
    };
    window.addEventListener('scroll', save, { passive: true });
    return () => window.removeEventListener('scroll', save);
  }, []);

  const items = virtualizer.getVirtualItems();
  return (
    <ol ref={listRef} className="worklist" style={{ height: virtualizer.getTotalSize() }} aria-label="Worklist, highest priority first">
      {items.map((item) => {
        const row = rows[item.index];
        if (row === undefined) return null;
        return (
          <li
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="worklist-item"
            aria-setsize={rows.length}
            aria-posinset={item.index + 1}
            style={{ transform: `translateY(${item.start - margin}px)` }}
          >
            <TodayRow
              row={row}
              presence={presence.get(row.accountNumber)}
              aging={aging}
              today={today}
              me={me}
              logging={logging === row.accountNumber}
              onLogToggle={onLogToggle}
              onLogged={onLogged}
            />
          </li>
        );
      })}
    </ol>
  );
}
