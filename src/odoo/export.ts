/**
 * A confirmed Odoo purchase order as a canonical order (for the 850 / OrderRequest renderers): vendor part
 * numbers from product.supplierinfo, GTIN from the barcode, buyer part from default_code, units through the
 * partner's unitsOfMeasure, ship-to from the receiving warehouse's address. Line numbers are the Odoo PO line
 * ids, so an acknowledgement or ship notice that echoes them finds its line even after lines are added.
 * The contract (GPO) number is read from the char field `x_edi_contract_number` on purchase.order when
 * the database has it (add it with Studio); without it the order carries no contract number.
 */
import { GatewayError } from '../errors.ts';
import type { Address, Order, Party } from '../../translators/types.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import type { OdooClient } from './client.ts';
import { fromOdooNumber } from './decimal.ts';
import { loadLines, m2oId, odooFacts } from './apply/lookup.ts';

export const CONTRACT_FIELD = 'x_edi_contract_number';
const DEFAULT_UOM: Record<string, string> = { Units: 'EA', Unit: 'EA', Dozens: 'DZ', kg: 'KG', g: 'GR', L: 'LT', m: 'MR', Box: 'BX', Case: 'CA', Pack: 'PK' };

export async function buildCanonicalOrder(odoo: OdooClient, poId: number, profile: PartnerProfile, options: { revision?: string } = {}): Promise<Order> {
  const facts = await odooFacts(odoo);
  const fields = await odoo.call('purchase.order', 'fields_get', null, { attributes: ['type'] }) as Record<string, unknown>;
  const withContract = CONTRACT_FIELD in fields;
  const [po] = await odoo.read('purchase.order', [poId], ['name', 'state', 'partner_id', 'date_order', 'date_approve', 'date_planned', 'currency_id',
    'picking_type_id', 'company_id', ...(withContract ? [CONTRACT_FIELD] : [])]);
  if (!po) throw new GatewayError('odoo-missing', `purchase order ${poId} not found`);
  if (!['purchase', 'done', 'cancel'].includes(String(po.state))) {
    throw new GatewayError('odoo-order-not-confirmed', `${po.name} is ${po.state}; only confirmed orders are sent`);
  }
  const vendorId = m2oId(po.partner_id)!;
  const lines = await loadLines(odoo, facts, poId, vendorId);
  const [vendor] = await odoo.read('res.partner', [vendorId], ['name', 'ref']);
  const [company] = await odoo.read('res.company', [m2oId(po.company_id) ?? 1], ['name', 'partner_id']);
  const [pickingType] = await odoo.read('stock.picking.type', [m2oId(po.picking_type_id)!], ['warehouse_id']);
  const warehouseId = m2oId(pickingType?.warehouse_id);
  const [warehouse] = warehouseId ? await odoo.read('stock.warehouse', [warehouseId], ['name', 'code', 'partner_id']) : [];
  const shipTo = warehouse && m2oId(warehouse.partner_id) ? await party(odoo, m2oId(warehouse.partner_id)!, String(warehouse.code)) : undefined;
  const uom = (name: string) => profile.unitsOfMeasure?.[name] ?? DEFAULT_UOM[name] ?? name;
  const revision = options.revision ?? '0';
  const order: Order = {
    type: 'order',
    partnerId: profile.id,
    poNumber: String(po.name),
    revision,
    purpose: po.state === 'cancel' ? 'cancel' : revision === '0' ? 'new' : 'change',
    orderDate: String(po.date_approve || po.date_order).slice(0, 10),
    currency: String((po.currency_id as [number, string])[1]),
    buyer: { name: String(company?.name ?? ''), ids: [] },
    vendor: { name: String(vendor?.name ?? ''), ids: vendor?.ref ? [{ qualifier: '92', value: String(vendor.ref) }] : [] },
    ...(shipTo ? { shipTo } : {}),
    ...(po.date_planned ? { requestedDeliveryDate: String(po.date_planned).slice(0, 10) } : {}),
    ...(withContract && po[CONTRACT_FIELD] ? { contractNumber: String(po[CONTRACT_FIELD]) } : {}),
    lines: lines.map((l) => ({
      lineNumber: String(l.id),
      quantity: l.qty,
      uom: uom(l.uomName),
      unitPrice: l.price,
      itemIds: { ...l.itemIds },
      description: l.name.replace(/^\[[^\]]*\]\s*/, ''),
      ...(l.datePlanned ? { requestedDeliveryDate: l.datePlanned.slice(0, 10) } : {}),
    })),
  };
  return order;
}

/** The chatter note on the PO saying the order went out. */
async function party(odoo: OdooClient, partnerId: number, code: string): Promise<Party> {
  const [p] = await odoo.read('res.partner', [partnerId], ['name', 'street', 'street2', 'city', 'zip', 'state_id', 'country_id']);
  const address: Address = { lines: [p?.street, p?.street2].filter((x): x is string => typeof x === 'string' && x !== '') };
  if (p?.city) address.city = String(p.city);
  if (p?.zip) address.postalCode = String(p.zip);
  const stateId = m2oId(p?.state_id);
  if (stateId) address.state = String((await odoo.read('res.country.state', [stateId], ['code']))[0]?.code ?? '');
  const countryId = m2oId(p?.country_id);
  if (countryId) address.country = String((await odoo.read('res.country', [countryId], ['code']))[0]?.code ?? '');
  return { name: String(p?.name ?? ''), ids: [{ qualifier: '92', value: code }], address };
}

