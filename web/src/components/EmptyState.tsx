import type { ReactNode } from 'react';

interface Props {
  title: string;
  children?: ReactNode;
  testId?: string;
}

export function EmptyState({ title, children, testId }: Props) {
  return (
    <section className="empty-state" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
