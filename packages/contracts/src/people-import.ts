import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, pageOf } from './common.ts';
import { PersonSummary } from './people.ts';

/**
 * Issue 9: importing the management company's lists of residents (CSV or XLSX) in two
 * steps — a preview that writes nothing, then a confirmation of that preview — and the
 * registry's export.
 */
export const ImportIdParams = z.strictObject({ complexId: Id, importId: Id });

/** The file as uploaded; base64 so the upload is one JSON request like every other. */
export const ImportUpload = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
  /** base64 of the file's bytes (CSV in UTF-8 with or without BOM or cp1251, or XLSX). */
  data: z.string().min(1).max(16_000_000),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

export const ImportRowStatus = z.enum(['new', 'changed', 'unchanged', 'invalid']);
export type ImportRowStatus = z.infer<typeof ImportRowStatus>;

/** Why a row cannot be imported (translated by the console: import.problem.<code>). */
export const ImportProblemCode = z.enum([
  'missing_last_name',
  'missing_first_name',
  'missing_apartment',
  'bad_iin',
  'bad_birth_date',
  'birth_date_mismatch',
  'bad_phone',
  'bad_relation',
  'bad_moved_in',
  'unknown_apartment',
  'duplicate_in_file',
  'duplicate_in_registry',
]);
export type ImportProblemCode = z.infer<typeof ImportProblemCode>;

export const ImportField = z.enum(['lastName', 'firstName', 'patronymic', 'iin', 'birthDate', 'phones', 'apartment', 'relation', 'movedIn']);
export type ImportField = z.infer<typeof ImportField>;

export const ImportRow = z.strictObject({
  /** The row's line in the file (1 = the header). */
  line: z.number().int(),
  status: ImportRowStatus,
  name: z.string(),
  apartment: z.string(),
  iin: z.string().nullable(),
  /** The registry's person this row updates (changed / unchanged). */
  personId: Id.nullable(),
  problems: z.array(z.strictObject({ code: ImportProblemCode, detail: z.string() })),
  changes: z.array(z.strictObject({ field: ImportField, from: z.string(), to: z.string() })),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportCounts = z.strictObject({
  total: z.number().int(),
  new: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  /** People of the complex's registry the list does not mention: "moved out?" */
  missing: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const ImportState = z.enum(['reading', 'checking', 'ready', 'writing', 'done', 'failed', 'expired']);
export type ImportState = z.infer<typeof ImportState>;

export const ImportJob = z.strictObject({
  id: Id,
  complexId: Id,
  fileName: z.string(),
  state: ImportState,
  /** Rows read or checked so far; total is null while an XLSX is still being read. */
  progress: z.strictObject({ done: z.number().int(), total: z.number().int().nullable() }),
  counts: ImportCounts.nullable(),
  /** Why reading failed (IMPORT_FILE_UNREADABLE, IMPORT_NO_COLUMNS): an error code. */
  error: z.string().nullable(),
  /** Which file columns were understood as which fields. */
  columns: z.array(z.strictObject({ header: z.string(), field: z.string().nullable() })),
  createdAt: IsoDateTime,
  /** Confirm before this; after it the preview is gone. */
  expiresAt: IsoDateTime,
  result: z.strictObject({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), skipped: z.number().int() }).nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportRowsQuery = PageQuery.extend({ status: ImportRowStatus.optional() });
export const ImportRowPage = pageOf(ImportRow);
export type ImportRowPage = z.infer<typeof ImportRowPage>;
export const ImportMissingPage = pageOf(PersonSummary);
export type ImportMissingPage = z.infer<typeof ImportMissingPage>;
