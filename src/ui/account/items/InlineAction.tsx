import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface Props {
  /** The toggle's text ("Resolve dispute…"); the item it acts on is named by `describedBy`. */
  readonly label: string;
  /** Id of the text that says which item this acts on (several items have the same toggle). */
  readonly describedBy: string;
  readonly children: (close: () => void) => ReactNode;
}

/** A toggle that opens a small form under a list item; its first field takes focus when it opens. */
export function InlineAction({ label, describedBy, children }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) ref.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  return (
    <div className="inline-action">
      <button ref={toggleRef} type="button" aria-expanded={open} aria-controls={id} aria-describedby={describedBy} onClick={() => setOpen(!open)} className={open ? 'active' : undefined}>
        {label}
      </button>
      <div id={id} ref={ref} hidden={!open}>
        {open && children(close)}
      </div>
    </div>
  );
}
