// What a registry's error answer says: `{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}`.
import type { AnswerHeaders } from './http-request.js';

/** The error codes in a registry's JSON error body; [] when it is not one. */
export function errorCodes(body: Uint8Array): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return [];
  }
  const errors =
    typeof parsed === 'object' && parsed !== null ? (parsed as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((error: unknown) =>
      typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined,
    )
    .filter((code): code is string => typeof code === 'string');
}

const MISSING_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);

/**
 * Whether an answer to a manifest request says the tag or the repository does not exist: an error
 * code that says so, or a 404 from a server that declares itself a registry. A bare 404 from some
 * other server (a web server on the plain-HTTP port, say) proves nothing.
 */
export function saysMissing(status: number, headers: AnswerHeaders, body: Uint8Array): boolean {
  if (status === 401 || status === 403 || status < 400 || status >= 500) return false;
  if (errorCodes(body).some((code) => MISSING_CODES.has(code))) return true;
  return status === 404 && headers.get('docker-distribution-api-version') !== null;
}

/** A short description of an error answer for a reason: its status and codes, never its body. */
export function describeAnswer(status: number, body: Uint8Array): string {
  const codes = errorCodes(body);
  return codes.length === 0 ? `HTTP ${status}` : `HTTP ${status} (${codes.join(', ')})`;
}
