import type { ReactNode } from 'react';

/** A success or information line that screen readers announce. */
export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="notice" role="status" data-testid={testId}>
      {children}
    </p>
  );
}
