/**
 * ShipNoticeRequest → canonical ship-notice. Each PO line appears once with its quantity summed over
 * every ShipNoticeItem (and so every pack) it was spread across, with its lots (Batch, SupplierBatchID,
 * expiry) and serial numbers (AssetInfo@serialNumber); the packs themselves go to packages[].
 */
import type { Lot, Package, ShipNotice, ShipNoticeLine, ShipNoticeOrder } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { all, attr, childText, first, text, type XmlNode } from './nodes.ts';
import { FieldReader } from './fields.ts';
import { addDecimal } from '../common/decimal.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

const BASE = '/cXML/Request/ShipNoticeRequest';

function lots(r: FieldReader, item: XmlNode, path: string): Lot[] {
  const out: Lot[] = [];
  const retail = first(first(item, 'ShipNoticeItemIndustry'), 'ShipNoticeItemRetail');
  const itemExpiry = attr(first(retail, 'ExpiryDate'), 'date') ?? attr(first(retail, 'BestBeforeDate'), 'date');
  for (const [k, batch] of all(item, 'Batch').entries()) {
    const p = `${path}/Batch[${k + 1}]`;
    const lotNumber = childText(batch, 'SupplierBatchID') ?? childText(batch, 'BuyerBatchID');
    if (!lotNumber) {
      r.error(p, 'Batch without SupplierBatchID or BuyerBatchID');
      continue;
    }
    const lot: Lot = { lotNumber };
    const expiry = r.date(attr(batch, 'expirationDate') ?? itemExpiry, `${p}/@expirationDate`, false);
    if (expiry) lot.expirationDate = expiry;
    const quantity = r.decimal(attr(batch, 'batchQuantity'), `${p}/@batchQuantity`, false);
    if (quantity) lot.quantity = quantity;
    out.push(lot);
  }
  for (const id of all(item, 'SupplierBatchID')) {
    const lotNumber = text(id)?.trim();
    if (!lotNumber) continue;
    const expiry = r.date(itemExpiry, `${path}/ShipNoticeItemIndustry`, false);
    out.push(expiry ? { lotNumber, expirationDate: expiry } : { lotNumber });
  }
  return out;
}

function serials(item: XmlNode): string[] {
  const assets = [...all(item, 'AssetInfo'), ...all(item, 'Packaging').flatMap((p) => all(p, 'AssetInfo'))];
  return assets.map((a) => attr(a, 'serialNumber')?.trim()).filter((s): s is string => Boolean(s));
}

function addPackages(r: FieldReader, packages: Map<string, Package>, packageTracking: string[], item: XmlNode, poNumber: string, lineNumber: string, itemQuantity: string, path: string): void {
  for (const [k, pack] of all(item, 'Packaging').entries()) {
    const p = `${path}/Packaging[${k + 1}]`;
    const sscc = childText(pack, 'ShippingContainerSerialCode');
    const trackingId = childText(first(pack, 'PackageID'), 'PackageTrackingID');
    if (trackingId) packageTracking.push(trackingId);
    const key = sscc ?? `${path}#${k}`;
    let entry = packages.get(key);
    if (!entry) {
      const levelCode = childText(pack, 'PackagingLevelCode') ?? '';
      entry = { level: /tare|pallet|outer/i.test(levelCode) ? 'tare' : 'pack', contents: [] };
      if (sscc) entry.sscc = sscc;
      const parent = childText(pack, 'ShippingContainerSerialCodeReference');
      if (parent) entry.parent = parent;
      const weight = all(pack, 'Dimension').find((d) => ['weight', 'grossWeight'].includes(attr(d, 'type') ?? ''));
      if (weight) {
        const w = r.decimal(attr(weight, 'quantity'), `${p}/Dimension/@quantity`, true);
        if (w) entry.weight = w;
        const uom = childText(weight, 'UnitOfMeasure');
        if (uom) entry.weightUom = uom;
      }
      packages.set(key, entry);
    }
    const dispatched = r.decimal(attr(first(pack, 'DispatchQuantity'), 'quantity'), `${p}/DispatchQuantity/@quantity`, false);
    entry.contents.push({ poNumber, lineNumber, quantity: dispatched ?? itemQuantity });
  }
}

const OPERATIONS: Readonly<Record<string, ShipNotice['purpose']>> = { new: 'new', update: 'change', delete: 'cancel' };

export function translateShipNotice(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<ShipNotice> {
  const r = new FieldReader(profile);
  const header = first(doc.body, 'ShipNoticeHeader');
  const hp = `${BASE}/ShipNoticeHeader`;
  const shipmentId = r.required(attr(header, 'shipmentID'), `${hp}/@shipmentID`, 'ShipNoticeHeader@shipmentID');
  const shipDate = r.date(attr(header, 'shipmentDate') ?? attr(header, 'noticeDate'), `${hp}/@shipmentDate`, true) ?? '';
  const packages = new Map<string, Package>();
  const packageTracking: string[] = [];
  const orders: ShipNoticeOrder[] = [];
  for (const [i, portion] of all(doc.body, 'ShipNoticePortion').entries()) {
    const pp = `${BASE}/ShipNoticePortion[${i + 1}]`;
    const poNumber = r.required(attr(first(portion, 'OrderReference'), 'orderID'), `${pp}/OrderReference/@orderID`, 'OrderReference@orderID');
    const byLine = new Map<string, ShipNoticeLine>();
    for (const [k, item] of all(portion, 'ShipNoticeItem').entries()) {
      const ip = `${pp}/ShipNoticeItem[${k + 1}]`;
      const lineNumber = r.required(attr(item, 'lineNumber'), `${ip}/@lineNumber`, 'ShipNoticeItem@lineNumber');
      const quantity = r.decimal(attr(item, 'quantity'), `${ip}/@quantity`, true) ?? '0';
      const uom = r.uom(text(first(item, 'UnitOfMeasure')), `${ip}/UnitOfMeasure`);
      const itemIds = r.itemIds(first(item, 'ItemID'), first(item, 'ShipNoticeItemDetail'), [item], ip);
      addPackages(r, packages, packageTracking, item, poNumber, lineNumber, quantity, ip);
      const line = byLine.get(lineNumber);
      if (!line) {
        byLine.set(lineNumber, { lineNumber, itemIds, quantityShipped: quantity, uom, lots: lots(r, item, ip), serialNumbers: serials(item) });
        continue;
      }
      if (line.uom !== uom) r.error(`${ip}/UnitOfMeasure`, `line ${lineNumber} is shipped in ${line.uom} and ${uom}`);
      line.quantityShipped = addDecimal(line.quantityShipped, quantity);
      line.lots.push(...lots(r, item, ip));
      line.serialNumbers.push(...serials(item));
      for (const [name, value] of Object.entries(itemIds)) if (line.itemIds[name] === undefined) line.itemIds[name] = value;
    }
    orders.push({ poNumber, lines: [...byLine.values()] });
  }
  const controls = all(doc.body, 'ShipControl');
  const carriers = controls.flatMap((c) => all(c, 'CarrierIdentifier'));
  const tracking = [...new Set([...controls.flatMap((c) => all(c, 'ShipmentIdentifier')).map((s) => text(s)?.trim()), ...packageTracking])]
    .filter((s): s is string => Boolean(s));
  const notice: ShipNotice = { type: 'ship-notice', ...canonicalBase(doc, profile), shipmentId, shipDate, orders, packages: [...packages.values()] };
  // @operation: update replaces the notice with the same shipmentID, delete withdraws it (the DTD's default is new)
  const operation = attr(header, 'operation') ?? 'new';
  if (!Object.hasOwn(OPERATIONS, operation)) r.error(`${hp}/@operation`, `operation "${operation}" is not one cXML defines (new, update, delete)`);
  notice.purpose = OPERATIONS[operation] ?? 'new';
  const delivery = r.date(attr(header, 'deliveryDate'), `${hp}/@deliveryDate`, false);
  if (delivery) notice.estimatedDeliveryDate = delivery;
  if (carriers.length || tracking.length) {
    const code = carriers.find((c) => /^scac$/i.test(attr(c, 'domain') ?? '')) ?? carriers.find((c) => attr(c, 'domain') !== 'companyName');
    const name = carriers.find((c) => attr(c, 'domain') === 'companyName');
    notice.carrier = { trackingNumbers: tracking };
    if (code) notice.carrier.code = text(code)?.trim();
    if (name) notice.carrier.name = text(name)?.trim();
    const method = attr(first(controls[0], 'Route'), 'method');
    if (method) notice.carrier.method = method;
  }
  for (const contact of all(header, 'Contact')) {
    const role = attr(contact, 'role');
    if (role === 'shipFrom' && !notice.shipFrom) notice.shipFrom = r.party(contact);
    if (role === 'shipTo' && !notice.shipTo) notice.shipTo = r.party(contact);
  }
  return r.errors.length ? { errors: r.errors } : { document: notice, errors: [] };
}
