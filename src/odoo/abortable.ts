/**
 * An Odoo client that makes no call once a signal aborted: a job run past its expiry, which pg-boss has
 * already handed to a retry, stops changing Odoo (the retry reads what this run did before it acts).
 */
import { GatewayError } from '../errors.ts';
import type { OdooClient } from './client.ts';

export function abortableOdoo(odoo: OdooClient, signal: AbortSignal): OdooClient {
  return new Proxy(odoo, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (signal.aborted) {
          return Promise.reject(new GatewayError('job-expired', `the job ran past its expiry and was handed to a retry: no further Odoo calls from this run (${String(prop)} not sent)`, { retryable: true }));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
