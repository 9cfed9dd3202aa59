import { errorCatalog, type ErrorBody, type ErrorCode } from '@kuzet/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './errors.ts';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string; code?: string; keys?: string[] } };
}

/** Maps whatever was thrown to `{ error: { code, message, details? }, requestId }`. */
export function errorHandler(err: FastifyError | DomainError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, code, message, details } = classify(err);
  if (code === 'OVERLOADED') {
    // Load shedding is the server protecting itself, not a fault: no error line per refusal.
    request.log.debug({ code, status }, 'request shed');
  } else if (status >= 500) {
    request.log.error({ err }, 'request failed');
  } else {
    request.log.info({ code, status }, 'request refused');
  }
  if (code === 'AUTH_THROTTLED' || code === 'OVERLOADED') reply.header('retry-after', String(errorDetailsRetry(details)));
  const body: ErrorBody = { error: { code, message, ...(details !== undefined ? { details } : {}) }, requestId: String(request.id) };
  return reply.status(status).send(body);
}

function errorDetailsRetry(details: unknown): number {
  const v = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof v === 'number' ? v : 60;
}

function classify(err: FastifyError | DomainError | Error): { status: number; code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof DomainError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  const fe = err as Omit<FastifyError, 'validation'> & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe.validation) {
    const fields = fe.validation.map((v) => {
      const issue = v.params?.issue;
      const path = issue?.path?.map(String).join('.') ?? v.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const keys = issue?.code === 'unrecognized_keys' ? issue.keys : undefined;
      return { in: fe.validationContext ?? 'body', field: path || (keys ? keys.join(',') : ''), message: issue?.message ?? v.message ?? 'Invalid value' };
    });
    return { status: 400, code: 'VALIDATION_FAILED', message: errorCatalog.VALIDATION_FAILED.message, details: { fields } };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return pick('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return pick('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? pick('UNSUPPORTED_MEDIA_TYPE') : pick('VALIDATION_FAILED');
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return pick('MALFORMED_JSON');
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 404) return pick('NOT_FOUND');
  if (status === 413) return pick('BODY_TOO_LARGE');
  if (status === 415) return pick('UNSUPPORTED_MEDIA_TYPE');
  if (status === 429) return pick('RATE_LIMITED');
  if (status >= 400 && status < 500) return { status, code: 'VALIDATION_FAILED', message: fe.message };
  return pick('INTERNAL');
}

function pick(code: ErrorCode) {
  return { status: errorCatalog[code].status, code, message: errorCatalog[code].message };
}
