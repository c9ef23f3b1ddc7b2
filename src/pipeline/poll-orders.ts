/**
 * orders.poll (cron): purchase orders of EDI vendors confirmed, changed or cancelled in Odoo since the
 * cursor (write_date) are queued for export, one job per PO at a time. The export is idempotent, so
 * seeing an order again (same second, overlap, webhook and cron both firing) sends nothing twice.
 */
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { ediVendors } from '../odoo/vendors.ts';
import { QUEUES, type ExportOrderJob } from './queues.ts';
import { odooDateTime, ordersConfirmedFrom } from '../store/partner-start.ts';

const CURSOR = 'odoo.purchase.order.write_date';
const BATCH = 200;

export async function queueExport(ctx: Pick<AppContext, 'boss' | 'wake'>, poId: number, reason: ExportOrderJob['reason']): Promise<void> {
  // one queued export per PO: a second signal while one waits is folded into it
  await ctx.boss.send(QUEUES.exportOrder, { odooPurchaseOrderId: poId, reason }, { singletonKey: `po-${poId}` });
  ctx.wake(QUEUES.exportOrder);
}

export async function handlePollOrders(ctx: AppContext, job: JobContext<'orders.poll'>): Promise<void> {
  if (!ctx.odoo) return;
  const vendors = await ediVendors(ctx.odoo, ctx.partners.all());
  if (vendors.size === 0) return;
  // the first poll starts where EDI with the earliest partner began, not at the beginning of Odoo's history
  const cursor = (await ctx.pool.query<{ value: string }>('select value from sync_cursors where name = $1', [CURSOR])).rows[0]?.value
    ?? odooDateTime(new Date(Math.min(...await Promise.all([...vendors.values()].map(async (p) => (await ordersConfirmedFrom(ctx.pool, p)).getTime())))));
  const orders = await ctx.odoo.search_read('purchase.order',
    [['write_date', '>=', cursor], ['state', 'in', ['purchase', 'done', 'cancel']], ['partner_id', 'in', [...vendors.keys()]]],
    ['id', 'write_date'], { order: 'write_date asc, id asc', limit: BATCH });
  for (const po of orders) await queueExport(ctx, po.id, 'cursor');
  const newest = orders.at(-1)?.write_date;
  if (typeof newest === 'string' && newest > cursor) {
    await ctx.pool.query(`insert into sync_cursors (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value, updated_at = now()`, [CURSOR, newest]);
  }
  if (orders.length > 0) job.log.info({ orders: orders.length, cursor: newest }, 'purchase orders queued for export');
}
