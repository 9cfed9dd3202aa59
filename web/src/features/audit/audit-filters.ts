import { almatyLocalToIso } from '../../lib/time.ts';

/** The filter form as typed; times are Almaty wall-clock values of datetime-local inputs. */
export interface AuditFilterForm {
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  from: string;
  to: string;
}

export const emptyFilters: AuditFilterForm = {
  actorId: '',
  action: '',
  subjectType: '',
  subjectId: '',
  from: '',
  to: '',
};

export type AuditFilterQuery = Partial<Record<keyof AuditFilterForm, string>>;

/**
 * The query the API takes: blanks dropped, times turned into ISO instants.
 * A time that cannot be read stays as typed so validation reports it.
 */
export function toAuditQuery(form: AuditFilterForm): AuditFilterQuery {
  const out: AuditFilterQuery = {};
  for (const key of ['actorId', 'action', 'subjectType', 'subjectId'] as const) {
    const value = form[key].trim();
    if (value) out[key] = value;
  }
  for (const key of ['from', 'to'] as const) {
    const value = form[key].trim();
    if (value) out[key] = almatyLocalToIso(value) ?? value;
  }
  return out;
}

export function rangeInverted(query: AuditFilterQuery): boolean {
  return Boolean(query.from && query.to && query.from > query.to);
}
