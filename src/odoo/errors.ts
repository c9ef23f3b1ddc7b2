/**
 * Maps what Odoo answers (JSON-RPC error objects, JSON-2 HTTP statuses) and what the network does
 * (refused, reset, timeout) onto GatewayError. Only transient faults are retryable: the network, a
 * timeout, 502/503/504 and a serialization failure (concurrent update) inside Odoo.
 */
import { GatewayError } from '../errors.ts';

export interface OdooFault {
  /** Python class, e.g. odoo.exceptions.UserError */
  name: string;
  message: string;
  /** HTTP status under JSON-2; 200 under JSON-RPC */
  status: number;
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

const SERIALIZATION = /SerializationFailure|could not serialize access|concurrent update|TransactionRollbackError/i;

function codeFor(fault: OdooFault): { code: string; retryable: boolean } {
  const n = fault.name;
  if (SERIALIZATION.test(n) || SERIALIZATION.test(fault.message)) return { code: 'odoo-conflict', retryable: true };
  if ([502, 503, 504].includes(fault.status)) return { code: 'odoo-unavailable', retryable: true };
  if (n === 'odoo.exceptions.AccessDenied' || fault.status === 401) return { code: 'odoo-auth', retryable: false };
  if (n === 'odoo.exceptions.AccessError' || fault.status === 403) return { code: 'odoo-access', retryable: false };
  if (n === 'odoo.exceptions.MissingError') return { code: 'odoo-missing', retryable: false };
  if (n === 'odoo.exceptions.ValidationError') return { code: 'odoo-validation', retryable: false };
  if (n === 'odoo.exceptions.UserError' && /^Object \S+ doesn't exist$/.test(fault.message)) return { code: 'odoo-not-found', retryable: false };
  if (n === 'odoo.exceptions.UserError' || n === 'odoo.exceptions.RedirectWarning') return { code: 'odoo-user-error', retryable: false };
  if (fault.status === 404 || n === 'builtins.AttributeError') return { code: 'odoo-not-found', retryable: false };
  if (fault.status === 422 || n === 'builtins.TypeError' || n === 'builtins.ValueError' || n === 'builtins.KeyError') {
    return { code: 'odoo-bad-request', retryable: false };
  }
  return { code: 'odoo-server-error', retryable: false };
}

/** An error Odoo reported (the call reached Odoo and Odoo answered). */
export function odooFaultError(fault: OdooFault, call: { model?: string; method: string }): GatewayError {
  const { code, retryable } = codeFor(fault);
  return new GatewayError(code, `Odoo ${call.model ? `${call.model}.` : ''}${call.method}: ${fault.name}: ${fault.message}`, {
    retryable,
    status: 502,
    details: { odooError: fault.name, odooMessage: fault.message, httpStatus: fault.status, model: call.model, method: call.method },
  });
}

/** An error before or while talking to Odoo: refused, reset, timed out, or an answer that is not Odoo's. */
export function odooTransportError(err: unknown, call: { model?: string; method: string }, timedOut: boolean): GatewayError {
  const where = `${call.model ? `${call.model}.` : ''}${call.method}`;
  if (timedOut) {
    return new GatewayError('odoo-timeout', `Odoo ${where}: no answer within the timeout (the call may still have been applied)`, {
      retryable: true, status: 504, cause: err, details: { model: call.model, method: call.method },
    });
  }
  const code = networkCode(err);
  return new GatewayError('odoo-unreachable', `Odoo ${where}: ${code ?? (err as Error)?.message ?? 'network error'}`, {
    retryable: code === undefined || TRANSIENT_NETWORK_CODES.has(code) || (err as Error)?.name === 'TypeError',
    status: 502, cause: err, details: { model: call.model, method: call.method, network: code },
  });
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
