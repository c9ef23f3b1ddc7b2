/**
 * ConfirmationRequest → canonical order-ack. One canonical line per ConfirmationStatus, so a line
 * confirmed partly (6 accepted, 4 backordered) keeps both parts, as an 855 does with repeated ACK.
 */
import type { AckLineStatus, AckType, OrderAck, OrderAckLine } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { all, attr, extrinsics, first, text } from './nodes.ts';
import { FieldReader } from './fields.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

const LINE_STATUS: Record<string, AckLineStatus> = {
  accept: 'accepted', allDetail: 'changed', detail: 'changed', backordered: 'backordered', reject: 'rejected', unknown: 'backordered', requestToPay: 'accepted',
};

function ackTypeOf(headerType: string, lines: OrderAckLine[]): AckType {
  if (headerType === 'reject') return 'rejected';
  if (headerType === 'accept' || headerType === 'requestToPay') return 'accepted';
  if (lines.length > 0 && lines.every((l) => l.status === 'rejected')) return 'rejected';
  if (lines.length > 0 && lines.every((l) => l.status === 'accepted')) return 'accepted';
  return 'accepted-with-changes';
}

export function translateConfirmation(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<OrderAck> {
  const r = new FieldReader(profile);
  const base = '/cXML/Request/ConfirmationRequest';
  const header = first(doc.body, 'ConfirmationHeader');
  const headerType = r.required(attr(header, 'type'), `${base}/ConfirmationHeader/@type`, 'ConfirmationHeader@type');
  if (headerType && !(headerType in LINE_STATUS) && !['except', 'replace'].includes(headerType)) {
    r.error(`${base}/ConfirmationHeader/@type`, `confirmation type "${headerType}" is not one cXML defines`);
  }
  const orderRef = first(doc.body, 'OrderReference');
  const poNumber = r.required(attr(orderRef, 'orderID'), `${base}/OrderReference/@orderID`, 'OrderReference@orderID');
  const ackDate = r.date(attr(header, 'noticeDate'), `${base}/ConfirmationHeader/@noticeDate`, true) ?? '';
  const lines: OrderAckLine[] = [];
  for (const [i, item] of all(doc.body, 'ConfirmationItem').entries()) {
    const itemPath = `${base}/ConfirmationItem[${i + 1}]`;
    const lineNumber = r.required(attr(item, 'lineNumber'), `${itemPath}/@lineNumber`, 'ConfirmationItem@lineNumber');
    const statuses = all(item, 'ConfirmationStatus');
    if (statuses.length === 0) r.error(itemPath, 'ConfirmationItem without ConfirmationStatus');
    for (const [k, status] of statuses.entries()) {
      const path = `${itemPath}/ConfirmationStatus[${k + 1}]`;
      const type = attr(status, 'type') ?? '';
      const lineStatus = LINE_STATUS[type];
      if (!lineStatus) r.error(`${path}/@type`, `status type "${type}" is not one cXML defines`);
      const itemIn = first(status, 'ItemIn');
      const line: OrderAckLine = { lineNumber, status: lineStatus ?? 'changed', statusCode: type };
      const quantity = r.decimal(attr(status, 'quantity'), `${path}/@quantity`, true);
      if (quantity !== undefined) line.quantity = quantity;
      line.uom = r.uom(text(first(status, 'UnitOfMeasure')) ?? text(first(item, 'UnitOfMeasure')), `${path}/UnitOfMeasure`);
      const price = r.money(first(status, 'UnitPrice') ?? first(first(itemIn, 'ItemDetail'), 'UnitPrice'), `${path}/UnitPrice`, false).amount;
      if (price !== undefined) line.unitPrice = price;
      const scheduled = r.date(attr(status, 'deliveryDate') ?? attr(status, 'shipmentDate'), `${path}/@deliveryDate`, false);
      if (scheduled !== undefined) line.scheduledDate = scheduled;
      const ids = r.itemIds(first(itemIn, 'ItemID'), first(itemIn, 'ItemDetail'), [status], path);
      if (Object.keys(ids).length > 0) line.itemIds = ids;
      lines.push(line);
    }
  }
  const ack: OrderAck = {
    type: 'order-ack', ...canonicalBase(doc, profile), poNumber, ackType: ackTypeOf(headerType, lines), ackDate, lines,
  };
  // the OrderRequest answered, by its payloadID: the gateway knows which revision of the order that was
  const reference = attr(first(orderRef, 'DocumentReference'), 'payloadID')?.trim();
  if (reference) ack.referencePayloadId = reference;
  const confirmId = attr(header, 'confirmID')?.trim();
  if (confirmId) ack.supplierOrderNumber = confirmId;
  const ext = extrinsics(header);
  if (!ack.supplierOrderNumber && ext.has('SupplierOrderID')) ack.supplierOrderNumber = ext.get('SupplierOrderID');
  return r.errors.length ? { errors: r.errors } : { document: ack, errors: [] };
}
