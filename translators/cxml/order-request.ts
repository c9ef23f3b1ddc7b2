/**
 * Canonical order ↔ cXML OrderRequest. Rendering: purpose new/change/cancel → type new/update/delete
 * with orderVersion from the revision, item ids (vendorPart → SupplierPartID, buyerPart → BuyerPartID,
 * manufacturerPart → ManufacturerPartID, gtin/ndc/hibcc/udi as Extrinsics), units through the profile,
 * the GPO contract where the profile says the network expects it. Our SharedSecret is never part of
 * the rendered (and stored) document: the transport adds it when it sends (withSharedSecret).
 * Reading turns an OrderRequest (corpus files, a network echoing ours) back into a canonical order.
 */
import type { Order, OrderLine, Party } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { TranslationError } from '../errors.ts';
import { multiplyDecimal, sumDecimals } from '../common/decimal.ts';
import { uomToPartner } from '../common/uom.ts';
import { all, attr, childText, extrinsics, first, text } from './nodes.ts';
import { FieldReader } from './fields.ts';
import { attrs, el, esc, header, prolog, DEFAULT_CXML_VERSION, type CxmlIdentity } from './write.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

export interface RenderOrderOptions {
  profile: PartnerProfile;
  /** our identity in From and Sender (the profile's ourIdentity wins) */
  ourIdentity?: CxmlIdentity;
  /** stable per order version: a resend after an unknown outcome must carry the same one */
  payloadId: string;
  timestamp: string;
  deploymentMode?: 'production' | 'test';
  userAgent?: string;
}

const TYPE = { new: 'new', change: 'update', cancel: 'delete' } as const;
const EXTRINSIC_IDS = ['gtin', 'upc', 'ndc', 'hibcc', 'udi'] as const;
const EXTRINSIC_NAME: Record<string, string> = { gtin: 'GTIN', upc: 'UPC', ndc: 'NDC', hibcc: 'HIBCC', udi: 'UDI' };
const CONTRACT_EXTRINSIC = 'ContractNumber';

function address(party: Party): string {
  const a = party.address;
  const postal = a && a.lines.length > 0 && a.city && a.country
    ? `<PostalAddress>${a.lines.map((l) => el('Street', l)).join('')}${el('City', a.city)}${el('State', a.state)}${el('PostalCode', a.postalCode)}${el('Country', a.country, { isoCountryCode: a.country })}</PostalAddress>`
    : '';
  const id = party.ids[0];
  return `<Address${attrs({ addressID: id?.value, addressIDDomain: id?.qualifier })}>${el('Name', party.name ?? id?.value ?? '', { 'xml:lang': 'en' })}${postal}${el('Email', party.contact?.email)}</Address>`;
}

function itemOut(line: OrderLine, order: Order, profile: PartnerProfile, contractPerItem: boolean): string {
  const ids = line.itemIds;
  const ext = EXTRINSIC_IDS.filter((k) => ids[k]).map((k) => el('Extrinsic', ids[k], { name: EXTRINSIC_NAME[k] })).join('');
  const detail = `<ItemDetail><UnitPrice>${el('Money', line.unitPrice, { currency: order.currency })}</UnitPrice>${el('Description', line.description ?? ids.vendorPart ?? '', { 'xml:lang': 'en' })}`
    + `${el('UnitOfMeasure', uomToPartner(line.uom, profile))}${el('Classification', ids.unspsc ?? '', { domain: 'UNSPSC' })}${el('ManufacturerPartID', ids.manufacturerPart)}${ext}</ItemDetail>`;
  const contract = contractPerItem && order.contractNumber ? `<MasterAgreementIDInfo${attrs({ agreementID: order.contractNumber })}/>` : '';
  return `<ItemOut${attrs({ quantity: line.quantity, lineNumber: line.lineNumber, requestedDeliveryDate: line.requestedDeliveryDate ?? order.requestedDeliveryDate })}>`
    + `<ItemID>${el('SupplierPartID', ids.vendorPart)}${el('SupplierPartAuxiliaryID', ids.vendorPartAuxiliary)}${el('BuyerPartID', ids.buyerPart)}</ItemID>${detail}${contract}</ItemOut>`;
}

/** A canonical date as a cXML datetime.tz: the timestamp itself on the same day, else midnight at its offset. */
function dateTime(date: string, timestamp: string): string {
  if (timestamp.startsWith(date)) return timestamp;
  return `${date}T00:00:00${/([+-][0-9]{2}:[0-9]{2}|Z)$/.exec(timestamp)?.[1]?.replace('Z', '+00:00') ?? '+00:00'}`;
}

function check(order: Order, profile: PartnerProfile): void {
  const problems: string[] = [];
  if (!profile.cxml) problems.push(`partner ${profile.id} has no cxml settings`);
  if (!order.poNumber) problems.push('poNumber is missing');
  if (!order.lines.length) problems.push('an OrderRequest needs at least one line');
  if (!order.billTo && !order.buyer && !order.shipTo) problems.push('an OrderRequest needs a bill-to (billTo, buyer or shipTo)');
  for (const l of order.lines) {
    if (!l.itemIds.vendorPart) problems.push(`line ${l.lineNumber}: no vendorPart (SupplierPartID is required)`);
    if (l.unitPrice === undefined) problems.push(`line ${l.lineNumber}: no unitPrice (UnitPrice is required)`);
  }
  if (problems.length) {
    throw new TranslationError('ORDER_INVALID', `cannot render OrderRequest: ${problems.join('; ')}`, problems.map((message) => ({ code: 'ORDER_INVALID', message })));
  }
}

export function renderOrderRequest(order: Order, o: RenderOrderOptions): string {
  check(order, o.profile);
  const cx = o.profile.cxml!;
  const us = cx.ourIdentity ?? o.ourIdentity;
  if (!us) throw new TranslationError('ORDER_INVALID', 'no cXML identity of ours: set cxml.ourIdentity in the profile or pass ourIdentity');
  const to = cx.supplierIdentities?.[0] ?? { domain: cx.credentials[0]!.domain, identity: cx.credentials[0]!.identity };
  const version = cx.version ?? DEFAULT_CXML_VERSION;
  const perItem = cx.contractIn === 'masterAgreementIDInfo';
  const total = sumDecimals(order.lines.map((l) => multiplyDecimal(l.quantity, l.unitPrice!)));
  const billTo = order.billTo ?? order.buyer ?? order.shipTo!;
  const terms = order.paymentTerms?.netDays ? `<PaymentTerm${attrs({ payInNumberOfDays: order.paymentTerms.netDays })}/>` : '';
  const headerXml = `<OrderRequestHeader${attrs({ orderID: order.poNumber, orderDate: dateTime(order.orderDate, o.timestamp), type: TYPE[order.purpose ?? 'new'], orderVersion: order.revision,
    requestedDeliveryDate: order.requestedDeliveryDate && dateTime(order.requestedDeliveryDate, o.timestamp) })}>`
    + `<Total>${el('Money', total, { currency: order.currency })}</Total>`
    + `${order.shipTo ? `<ShipTo>${address(order.shipTo)}</ShipTo>` : ''}<BillTo>${address(billTo)}</BillTo>${terms}`
    + `${(order.notes ?? []).map((n) => el('Comments', n, { 'xml:lang': 'en' })).join('')}`
    + `${!perItem && order.contractNumber ? el('Extrinsic', order.contractNumber, { name: CONTRACT_EXTRINSIC }) : ''}</OrderRequestHeader>`;
  return `${prolog(version)}<cXML${attrs({ payloadID: o.payloadId, timestamp: o.timestamp, version, 'xml:lang': 'en-US' })}>`
    + header(us, to, us, o.userAgent ?? 'edi-gateway')
    + `<Request${attrs({ deploymentMode: o.deploymentMode ?? (order.test ? 'test' : 'production') })}><OrderRequest>${headerXml}`
    + `${order.lines.map((l) => itemOut(l, order, o.profile, perItem)).join('')}</OrderRequest></Request></cXML>\n`;
}

/** The rendered document with our SharedSecret in the Sender credential, as it goes on the wire. */
export function withSharedSecret(xml: string, secret: string): string {
  const at = xml.indexOf('</Identity></Credential>', xml.indexOf('<Sender>'));
  if (at === -1) throw new TranslationError('ORDER_INVALID', 'no Sender credential to put the shared secret in');
  const end = at + '</Identity>'.length;
  return `${xml.slice(0, end)}<SharedSecret>${esc(secret)}</SharedSecret>${xml.slice(end)}`;
}

const PURPOSE = { new: 'new', update: 'change', delete: 'cancel' } as const;
const BASE = '/cXML/Request/OrderRequest';

export function translateOrderRequest(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<Order> {
  const r = new FieldReader(profile);
  const h = first(doc.body, 'OrderRequestHeader');
  const hp = `${BASE}/OrderRequestHeader`;
  const type = attr(h, 'type') ?? 'new';
  if (!(type in PURPOSE)) r.error(`${hp}/@type`, `order type "${type}" is not new, update or delete`);
  const currency = attr(first(first(h, 'Total'), 'Money'), 'currency') ?? '';
  const lines = all(doc.body, 'ItemOut').map((item, k): OrderLine => {
    const p = `${BASE}/ItemOut[${k + 1}]`;
    const detail = first(item, 'ItemDetail');
    const line: OrderLine = {
      lineNumber: attr(item, 'lineNumber')?.trim() || String(k + 1),
      quantity: r.decimal(attr(item, 'quantity'), `${p}/@quantity`, true) ?? '0',
      uom: r.uom(text(first(detail, 'UnitOfMeasure')), `${p}/ItemDetail/UnitOfMeasure`),
      itemIds: r.itemIds(first(item, 'ItemID'), detail, [], p),
    };
    const price = r.money(first(detail, 'UnitPrice'), `${p}/ItemDetail/UnitPrice`, false).amount;
    if (price !== undefined) line.unitPrice = price;
    const description = childText(detail, 'Description');
    if (description) line.description = description;
    const date = r.date(attr(item, 'requestedDeliveryDate'), `${p}/@requestedDeliveryDate`, false);
    if (date) line.requestedDeliveryDate = date;
    return line;
  });
  const order: Order = {
    type: 'order', ...canonicalBase(doc, profile),
    poNumber: r.required(attr(h, 'orderID'), `${hp}/@orderID`, 'orderID'),
    purpose: PURPOSE[type as keyof typeof PURPOSE] ?? 'new',
    orderDate: r.date(attr(h, 'orderDate'), `${hp}/@orderDate`, true) ?? '',
    currency, lines,
  };
  const version = attr(h, 'orderVersion')?.trim();
  if (version) order.revision = version;
  const shipTo = r.party(first(first(h, 'ShipTo'), 'Address'));
  if (shipTo) order.shipTo = shipTo;
  const billTo = r.party(first(first(h, 'BillTo'), 'Address'));
  if (billTo) order.billTo = billTo;
  const terms = r.paymentTerms(all(h, 'PaymentTerm'), `${hp}/PaymentTerm`);
  if (terms) order.paymentTerms = terms;
  const contract = extrinsics(h).get(CONTRACT_EXTRINSIC) ?? attr(first(all(doc.body, 'ItemOut')[0], 'MasterAgreementIDInfo'), 'agreementID');
  if (contract) order.contractNumber = contract;
  const notes = all(h, 'Comments').map((c) => text(c)?.trim()).filter((c): c is string => Boolean(c));
  if (notes.length) order.notes = notes;
  const delivery = r.date(attr(h, 'requestedDeliveryDate'), `${hp}/@requestedDeliveryDate`, false);
  if (delivery) order.requestedDeliveryDate = delivery;
  return r.errors.length ? { errors: r.errors } : { document: order, errors: [] };
}
