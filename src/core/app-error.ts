import type { FailureReason } from '../shared/checked';
import { LoginError } from '../shared/errors';
import type { ErrorFactory } from './settings';

/** The challenge in `error.headers`, unless the app's error brought headers of its own. */
export function withHeaders(error: Error, headers: Record<string, string>): void {
  if (error instanceof LoginError) error.headers = headers;
  else stamp(error, 'headers', headers);
}

/**
 * The app's own error, if configured, else ours. An app error gets `code` (and `claim`)
 * and the status fields error handlers read (`httpCode`, `status`, `statusCode`,
 * `expose`; non-enumerable, so none reaches the response body) unless it has its own,
 * so routing-controllers, express and Koa answer 401/403 rather than 500.
 */
export function appError(
  factory: ErrorFactory | undefined,
  fallback: () => LoginError,
  reason: FailureReason,
  status: number,
) {
  if (!factory) return fallback();
  const error = factory();
  if (error instanceof LoginError) {
    error.code = reason.code;
    return error;
  }
  stamp(error, 'code', reason.code);
  if (reason.claim !== undefined) stamp(error, 'claim', reason.claim);
  const own = error as Error & Partial<Record<'httpCode' | 'status' | 'statusCode', unknown>>;
  const code = [own.httpCode, own.status, own.statusCode].find((value) => typeof value === 'number') ?? status;
  for (const key of ['httpCode', 'status', 'statusCode'] as const) stamp(error, key, code);
  stamp(error, 'expose', (code as number) < 500);
  return error;
}

function stamp(error: Error, key: string, value: unknown): void {
  if ((error as unknown as Record<string, unknown>)[key] !== undefined) return;
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}
