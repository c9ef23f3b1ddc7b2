/**
 * The one error class of the gateway. `code` is a stable machine-readable reason, `retryable` tells
 * workers whether pg-boss should try again, `expose` whether the message may reach an outside caller.
 */
export interface GatewayErrorOptions {
  retryable?: boolean;
  expose?: boolean;
  status?: number;
  documentId?: string;
  cause?: unknown;
  details?: unknown;
}

export class GatewayError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly expose: boolean;
  readonly status: number;
  readonly documentId?: string;
  readonly details?: unknown;

  constructor(code: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.expose = options.expose ?? false;
    this.status = options.status ?? (this.expose ? 400 : 500);
    this.documentId = options.documentId;
    this.details = options.details;
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** How node-pg and pg-pool report a connection lost or not obtained in time: plain Errors without a code. */
const LOST_CONNECTION_MESSAGES = new Set([
  'Connection terminated', 'Connection terminated unexpectedly', 'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable', 'Query read timeout',
]);

/** Errors from the network or the database that a later attempt may not meet. */
export function isTransient(err: unknown): boolean {
  if (isGatewayError(err)) return err.retryable;
  const code = (err as { code?: string } | null)?.code;
  if (typeof code !== 'string') return err instanceof Error && LOST_CONNECTION_MESSAGES.has(err.message);
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08003', '53300', '40001', '40P01'].includes(code);
}
