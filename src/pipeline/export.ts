/**
 * orders.export: a confirmed (or changed, or cancelled) Odoo purchase order of an EDI vendor becomes
 * an outbound 850 or cXML OrderRequest, stored with its control numbers and queued for delivery, in one
 * transaction. The same PO content is never sent twice: a change goes out as the next revision, a
 * cancellation as a cancel; exporting an unchanged order does nothing.
 */
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { JobContext } from './workers.ts';
import { withTransaction } from '../db/tx.ts';
import { GatewayError } from '../errors.ts';
import { nextControlNumber } from '../store/control-numbers.ts';
import { buildCanonicalOrder } from '../odoo/export.ts';
import { ediVendors } from '../odoo/vendors.ts';
import { m2oId } from '../odoo/apply/lookup.ts';
import { render850 } from '../../translators/x12/render850.ts';
import { renderOrderRequest } from '../../translators/cxml/index.ts';
import type { Order } from '../../translators/types.ts';
import { storeOutbound } from './outbound.ts';
import { odooDateTime, ordersConfirmedFrom } from '../store/partner-start.ts';
import { recordOrderExported } from './tracking.ts';
import { QUEUES } from './queues.ts';

/** What identifies the content of an order, whatever its revision. */
export function orderContentHash(order: Order): string {
  const { revision: _r, purpose, documentId: _d, correlationId: _c, orderDate: _o, ...content } = order;
  return createHash('sha256').update(JSON.stringify({ ...content, cancelled: purpose === 'cancel' })).digest('hex');
}

export async function handleExportOrder(ctx: AppContext, job: JobContext<'orders.export'>): Promise<void> {
  if (!ctx.odoo) throw new GatewayError('odoo-not-configured', 'ODOO_URL is not set', { retryable: true });
  const odoo = ctx.odoo;
  const poId = job.data.odooPurchaseOrderId;
  const [po] = await odoo.read('purchase.order', [poId], ['name', 'state', 'partner_id', 'date_approve', 'date_order']);
  if (!po) throw new GatewayError('odoo-missing', `purchase order ${poId} does not exist in Odoo`);
  const vendors = await ediVendors(odoo, ctx.partners.all());
  const profile = vendors.get(m2oId(po.partner_id) ?? -1);
  if (!profile) {
    job.log.info({ po: po.name }, 'vendor has no EDI profile: not exported');
    return;
  }
  const state = String(po.state);
  if (!['purchase', 'done', 'cancel'].includes(state)) {
    job.log.info({ po: po.name, odooState: state }, 'purchase order not confirmed: not exported');
    return;
  }
  const format = profile.formats.includes('x12') ? 'x12' : 'cxml';
  const docType = format === 'x12' ? '850' : 'OrderRequest';
  const sent = await ctx.pool.query<{ business_keys: Record<string, string> }>(
    `select business_keys from documents where direction = 'outbound' and partner_id = $1 and doc_type = $2 and business_keys->>'poNumber' = $3 order by id`,
    [profile.id, docType, String(po.name)],
  );
  if (sent.rowCount === 0 && job.data.reason !== 'replay') {
    // going live with a supplier sends it no order it already has: only those confirmed since EDI began
    // (an order once sent through the gateway has its changes and cancellation sent, whenever confirmed)
    const from = await ordersConfirmedFrom(ctx.pool, profile);
    const confirmed = String(po.date_approve || po.date_order);
    if (confirmed < odooDateTime(from)) {
      job.log.info({ po: po.name, confirmed, ediSince: from.toISOString() }, 'confirmed before EDI with this partner began: not sent (send-order sends it)');
      return;
    }
  }
  if (state === 'cancel' && sent.rowCount === 0) {
    job.log.info({ po: po.name }, 'cancelled before it was sent: nothing to cancel');
    return;
  }
  const revision = String(sent.rowCount ?? 0);
  const order = await buildCanonicalOrder(odoo, poId, profile, { revision });
  if (order.lines.length === 0) throw new GatewayError('order-empty', `${po.name} has no product lines to send`);
  const hash = orderContentHash(order);
  const last = sent.rows.at(-1)?.business_keys;
  if (last?.contentHash === hash) {
    job.log.info({ po: po.name, revision: last.revision }, 'already sent with this content: nothing to do');
    return;
  }

  const result = await withTransaction(ctx.pool, async (client) => {
    // one export of a PO at a time, across processes; re-check what was sent under the lock
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`export:${profile.id}:${po.name}`]);
    const again = await client.query<{ n: number; hash: string | null }>(
      `select count(*)::int as n, (array_agg(business_keys->>'contentHash' order by id desc))[1] as hash from documents
        where direction = 'outbound' and partner_id = $1 and doc_type = $2 and business_keys->>'poNumber' = $3`,
      [profile.id, docType, order.poNumber],
    );
    if (again.rows[0]!.hash === hash) return undefined;
    const correlationId = randomUUID();
    let raw: string;
    const controls: { interchange?: string; group?: string; transaction?: string } = {};
    let payloadId: string | undefined;
    if (format === 'x12') {
      controls.interchange = await nextControlNumber(client, `${profile.id}/interchange`);
      // GS06 goes out without leading zeros (as render850 writes it): store what was sent
      controls.group = String(Number(await nextControlNumber(client, `${profile.id}/group`)));
      controls.transaction = (await nextControlNumber(client, `${profile.id}/transaction`)).slice(-4).padStart(4, '0');
      raw = render850(order, { profile, ours: ctx.config.ours, controlNumbers: { interchange: controls.interchange, group: controls.group, transaction: controls.transaction } });
    } else {
      payloadId = `${order.poNumber}.${order.revision}.${correlationId}@${ctx.config.ours.cxml?.identity ?? 'gateway'}`;
      raw = renderOrderRequest(order, { profile, ourIdentity: ctx.config.ours.cxml, payloadId, timestamp: new Date().toISOString().replace('Z', '+00:00') });
    }
    const fileName = format === 'x12' ? `850_${order.poNumber}_r${order.revision}_${controls.interchange}.edi`.replace(/[^A-Za-z0-9._-]/g, '_') : `${payloadId}.xml`;
    const stored = await storeOutbound(ctx.boss, client, {
      partner: profile, partnerId: profile.id, format, docType, raw: Buffer.from(raw, format === 'x12' ? 'latin1' : 'utf8'), fileName, correlationId,
      businessKeys: { poNumber: order.poNumber, revision: order.revision ?? '0', contentHash: hash, odooPurchaseOrderId: String(poId), purpose: order.purpose ?? 'new', ...(payloadId ? { payloadId } : {}) },
      interchangeControl: controls.interchange, groupControl: controls.group, transactionControl: controls.transaction,
    });
    await client.query('update documents set canonical = $2 where id = $1', [stored.document.id, JSON.stringify({ ...order, documentId: stored.document.id, correlationId })]);
    await recordOrderExported(client, { order, document: stored.document, profile, odooPurchaseOrderId: poId, payloadId });
    return { documentId: stored.document.id, revision: order.revision, purpose: order.purpose, queued: stored.queued };
  });
  if (!result) {
    job.log.info({ po: po.name }, 'another process exported this content meanwhile');
    return;
  }
  ctx.wake(QUEUES.deliver);
  job.log.info({ po: order.poNumber, ...result }, 'order exported');
}
