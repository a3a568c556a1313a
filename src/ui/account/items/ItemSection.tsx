import { useEffect, useRef, type ReactNode } from 'react';
import { formatNumber } from '../../common/format';

interface Props {
  /** Prefix of the heading's id. */
  readonly id: string;
  readonly title: string;
  /** What the last action did; focused when it changes (the form that had focus is gone). */
  readonly message: string | null;
  readonly children: ReactNode;
}

/** A card of the account's open items (disputes, promises to pay, tickler tasks, holds, escalations). */
export function ItemSection({ id, title, message, children }: Props) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message !== null) ref.current?.focus();
  }, [message]);
  return (
    <section className="card item-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p role="status" className="item-message" tabIndex={-1} ref={ref}>
        {message}
      </p>
      {children}
    </section>
  );
}

/** Closed items of a section, folded away under a count. */
export function Earlier({ count, what, children }: { readonly count: number; readonly what: string; readonly children: ReactNode }) {
  if (count === 0) return null;
  return (
    <details className="earlier">
      <summary>
        Earlier {what} ({formatNumber(count)})
      </summary>
      <ul className="plain-list item-list">{children}</ul>
    </details>
  );
}
