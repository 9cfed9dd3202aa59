import { describe, expect, it } from 'vitest';
import { AuditQuery } from '@kuzet/contracts';
import { emptyFilters, rangeInverted, toAuditQuery } from './audit-filters.ts';

describe('audit filters', () => {
  it('drops blanks and turns Almaty times into instants the API accepts', () => {
    const query = toAuditQuery({
      ...emptyFilters,
      action: 'auth.sign_in',
      subjectType: ' user ',
      from: '2024-01-15T18:00',
    });
    expect(query).toEqual({ action: 'auth.sign_in', subjectType: 'user', from: '2024-01-15T12:00:00.000Z' });
    expect(AuditQuery.safeParse({ ...query, limit: 50, offset: 0 }).success).toBe(true);
  });

  it('lets validation catch a bad user id', () => {
    const query = toAuditQuery({ ...emptyFilters, actorId: 'nobody' });
    expect(AuditQuery.safeParse({ ...query, limit: 50, offset: 0 }).success).toBe(false);
  });

  it('notices an inverted range', () => {
    expect(rangeInverted(toAuditQuery({ ...emptyFilters, from: '2025-01-02T00:00', to: '2025-01-01T00:00' }))).toBe(
      true,
    );
    expect(rangeInverted(toAuditQuery({ ...emptyFilters, from: '2025-01-01T00:00', to: '2025-01-02T00:00' }))).toBe(
      false,
    );
  });
});
