import type { MessageKey, TFunction } from '../i18n/translate.ts';

/** The parts of a zod 4 issue the console reads (kept structural so the web needs no zod import). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  input?: unknown;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

export type FieldErrors = Record<string, string>;

/** Per-field messages for format errors the generic text would not explain (e.g. what a login may contain). */
export type FormatHints = Record<string, MessageKey>;

export function issueText(issue: IssueLike, t: TFunction, hints: FormatHints = {}): string {
  const field = String(issue.path[0] ?? '');
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum ?? 0);
      if (issue.origin === 'string') return min <= 1 ? t('validation.required') : t('validation.minLength', { min });
      return t('validation.min', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum ?? 0);
      return issue.origin === 'string' ? t('validation.maxLength', { max }) : t('validation.max', { max });
    }
    case 'invalid_format': {
      const hint = hints[field];
      if (hint) return t(hint);
      if (issue.format === 'uuid') return t('validation.uuid');
      if (issue.format === 'datetime') return t('validation.datetime');
      return t('validation.format');
    }
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? t('validation.required') : t('validation.invalid');
    case 'invalid_value':
      return t('validation.choose');
    default:
      return t('validation.invalid');
  }
}

/** The first issue of each top-level field, translated. */
export function fieldErrors(issues: readonly IssueLike[] | undefined, t: TFunction, hints?: FormatHints): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues ?? []) {
    const field = String(issue.path[0] ?? '');
    if (!(field in out)) out[field] = issueText(issue, t, hints);
  }
  return out;
}

interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly IssueLike[] } };
}

/** Validates with a contracts schema: the parsed value, or the translated errors per field. */
export function validate<T>(
  schema: SafeParser<T>,
  value: unknown,
  t: TFunction,
  hints?: FormatHints,
): { ok: true; data: T; errors: FieldErrors } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data, errors: {} };
  return { ok: false, errors: fieldErrors(result.error.issues, t, hints) };
}
