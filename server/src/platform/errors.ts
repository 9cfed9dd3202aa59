import { errorCatalog, type ErrorCode } from '@kuzet/contracts';

/** A failure the caller can act on. Services throw these; never HTTP errors. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, details?: unknown, message?: string) {
    super(message ?? errorCatalog[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return errorCatalog[this.code].status;
  }
}
