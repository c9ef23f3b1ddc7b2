/** The job handler of each queue: the explicit list the gateway runs. */
import type { Handlers } from './workers.ts';
import { handleParse } from './parse.ts';
import { handleApply } from './apply.ts';
import { handleDeliver } from './deliver.ts';
import { handleExportOrder } from './export.ts';
import { handlePollOrders } from './poll-orders.ts';
import { handleAcksCheck } from '../acks/check.ts';
import { handleReconcile } from '../acks/reconcile.ts';

export function defaultHandlers(): Handlers {
  return {
    'document.parse': handleParse,
    'odoo.apply': handleApply,
    'delivery.send': handleDeliver,
    'orders.export': handleExportOrder,
    'orders.poll': handlePollOrders,
    'acks.check': handleAcksCheck,
    'orders.reconcile': handleReconcile,
  };
}
