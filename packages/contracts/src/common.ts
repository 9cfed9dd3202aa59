import { z } from 'zod';

export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PageQuery = z.infer<typeof PageQuery>;

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.strictObject({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

export const Ok = z.strictObject({ ok: z.literal(true) });

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  requestId: z.string(),
});

export const Health = z.strictObject({ status: z.literal('ok'), version: z.string() });

export const Language = z.enum(['ru', 'kk', 'en']);
export type Language = z.infer<typeof Language>;

/** For routes that take no body or query: anything sent is refused (strict, never stripped). */
export const EmptyBody = z.strictObject({}).nullish();
export const EmptyQuery = z.strictObject({});
