import type { ReactNode } from "react";

/**
 * The box a wide table scrolls in. It is a named region that takes focus, so that keyboard users can scroll it
 * with the arrow keys (a scrolling box with nothing focusable inside is out of their reach).
 */
export function TableWrap({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-wrap ${className}` : "table-wrap"} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
