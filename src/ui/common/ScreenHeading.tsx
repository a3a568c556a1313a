import { useEffect, useRef, type ReactNode } from 'react';
import { hasNavigated } from './router';

/**
 * A screen's h1. After an in-app navigation it takes focus, so a screen reader announces the new
 * screen and the next Tab starts from its top (a plain page load keeps the browser's own focus).
 */
export function ScreenHeading({ children, title }: { readonly children: ReactNode; readonly title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Dunwell`;
    if (hasNavigated()) ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-heading">
      {children}
    </h1>
  );
}
