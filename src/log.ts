/**
 * Structured JSON logs (pino). A child logger per document carries documentId, partnerId and
 * correlationId. Payloads and secrets are never logged: known secret-bearing keys are redacted.
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', 'secret', 'sharedSecret', 'apiKey', 'token', 'authorization', 'privateKey', 'raw', 'body', 'payload',
  '*.password', '*.secret', '*.sharedSecret', '*.apiKey', '*.token', '*.authorization', '*.privateKey', '*.raw', '*.body', '*.payload',
  'req.headers.authorization', 'req.headers.cookie',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: 'edi-gateway' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

export function documentLogger(log: Logger, doc: { documentId?: string | number; partnerId?: string | null; correlationId?: string }): Logger {
  return log.child({ documentId: doc.documentId === undefined ? undefined : String(doc.documentId), partnerId: doc.partnerId ?? undefined, correlationId: doc.correlationId });
}
