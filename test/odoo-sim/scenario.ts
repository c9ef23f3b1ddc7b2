/** A buyer's Odoo as the gateway meets it: a vendor with a ref, two products (one lot + expiry tracked), a confirmed PO. */
import { createOdooClient, type OdooClient } from '../../src/odoo/client.ts';
import { startOdooSim, type OdooSim } from './server.ts';

export interface Scenario { sim: OdooSim; odoo: OdooClient; vendorId: number; poId: number; poName: string; lineIds: number[] }

export async function startScenario(version: 18 | 19, options: { contractField?: boolean } = {}): Promise<Scenario> {
  const sim = await startOdooSim({ version, customFields: options.contractField ? { 'purchase.order': { x_edi_contract_number: { type: 'char' } } } : undefined });
  const odoo = createOdooClient({ url: sim.url, db: 'edi_sim', username: 'admin', apiKey: 'sim-api-key', timeoutMs: 5000 });
  const vendorId = await odoo.create('res.partner', { name: 'ACME Supplies Inc.', is_company: true, supplier_rank: 1, ref: 'ACME-001' });
  const widget = await odoo.create('product.product', { name: 'EDI Widget', default_code: 'EDIW-001', barcode: '4006381333931', is_storable: true,
    tracking: 'lot', use_expiration_date: true, expiration_time: 365, standard_price: 5 });
  const gadget = await odoo.create('product.product', { name: 'EDI Gadget', default_code: 'EDIG-002', barcode: '10614141000019', is_storable: true, standard_price: 12.5 });
  await odoo.create('product.supplierinfo', { partner_id: vendorId, product_tmpl_id: widget, product_code: 'V-SKU-1001', price: 5, min_qty: 1, delay: 3 });
  await odoo.create('product.supplierinfo', { partner_id: vendorId, product_tmpl_id: gadget, product_code: 'V-SKU-2002', price: 12.5, min_qty: 1 });
  const poId = await odoo.create('purchase.order', { partner_id: vendorId, origin: 'EDI-TEST', date_planned: '2026-12-01 10:00:00',
    ...(options.contractField ? { x_edi_contract_number: 'GPO-118' } : {}),
    order_line: [[0, 0, { product_id: widget, product_qty: 10, price_unit: 5, date_planned: '2026-12-01 10:00:00' }],
      [0, 0, { product_id: gadget, product_qty: 5, price_unit: 12, date_planned: '2026-12-01 10:00:00' }]] });
  await odoo.call('purchase.order', 'button_confirm', [poId]);
  const [po] = await odoo.read('purchase.order', [poId], ['name', 'order_line']);
  return { sim, odoo, vendorId, poId, poName: String(po!.name), lineIds: po!.order_line as number[] };
}
