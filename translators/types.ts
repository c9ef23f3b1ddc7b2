/**
 * Canonical documents: the one shape every X12 and cXML document is translated into and out of.
 * Money and quantities are decimal strings, dates YYYY-MM-DD, line numbers strings.
 * The JSON Schemas in schemas/ are the contract; these types mirror them.
 */

export interface PartyId { qualifier: string; value: string }
export interface Address {
  lines: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}
export interface Party {
  name?: string;
  ids: PartyId[];
  address?: Address;
  contact?: { name?: string; phone?: string; email?: string };
}

/** Named item identifiers; X12 qualifiers (VN, BP, UP, EN, N4, HI ...) and cXML ids map onto these. */
export interface ItemIds {
  vendorPart?: string;
  buyerPart?: string;
  manufacturerPart?: string;
  gtin?: string;
  upc?: string;
  ndc?: string;
  hibcc?: string;
  udi?: string;
  [name: string]: string | undefined;
}

interface CanonicalBase {
  partnerId?: string;
  documentId?: string;
  correlationId?: string;
  /** true when the source was a test interchange (ISA15=T) or deploymentMode="test" */
  test?: boolean;
}

export interface OrderLine {
  lineNumber: string;
  quantity: string;
  uom: string;
  unitPrice?: string;
  itemIds: ItemIds;
  description?: string;
  requestedDeliveryDate?: string;
}
export interface Order extends CanonicalBase {
  type: 'order';
  poNumber: string;
  revision?: string;
  /** new | change | cancel */
  purpose?: 'new' | 'change' | 'cancel';
  orderDate: string;
  currency: string;
  buyer?: Party;
  shipTo?: Party;
  billTo?: Party;
  vendor?: Party;
  requestedDeliveryDate?: string;
  paymentTerms?: PaymentTerms;
  contractNumber?: string;
  notes?: string[];
  lines: OrderLine[];
}

export interface PaymentTerms {
  description?: string;
  discountPercent?: string;
  discountDays?: string;
  netDays?: string;
}

export type AckType = 'accepted' | 'accepted-with-changes' | 'rejected';
export type AckLineStatus = 'accepted' | 'backordered' | 'rejected' | 'changed';
export interface OrderAckLine {
  lineNumber: string;
  status: AckLineStatus;
  /** the supplier's status code as sent (e.g. IA, IB, IR, IC, IP, IQ, DR) */
  statusCode?: string;
  quantity?: string;
  uom?: string;
  unitPrice?: string;
  scheduledDate?: string;
  itemIds?: ItemIds;
}
export interface OrderAck extends CanonicalBase {
  type: 'order-ack';
  poNumber: string;
  supplierOrderNumber?: string;
  /** the revision of the purchase order acknowledged, when the document names it (X12 REF*PP) */
  revision?: string;
  /** cXML: the payloadID of the OrderRequest acknowledged (OrderReference/DocumentReference) */
  referencePayloadId?: string;
  ackType: AckType;
  ackDate: string;
  lines: OrderAckLine[];
}

export interface Lot { lotNumber: string; expirationDate?: string; quantity?: string }
export interface ShipNoticeLine {
  lineNumber: string;
  itemIds: ItemIds;
  quantityShipped: string;
  uom: string;
  lots: Lot[];
  serialNumbers: string[];
}
export interface ShipNoticeOrder { poNumber: string; lines: ShipNoticeLine[] }
export interface Package {
  sscc?: string;
  /** nesting: the SSCC (or index) of the package this one is inside */
  parent?: string;
  level: 'tare' | 'pack';
  weight?: string;
  weightUom?: string;
  contents: Array<{ poNumber: string; lineNumber: string; quantity: string }>;
}
export interface ShipNotice extends CanonicalBase {
  type: 'ship-notice';
  shipmentId: string;
  /** new | change (a replacement notice) | cancel (the shipment notice is withdrawn) */
  purpose?: 'new' | 'change' | 'cancel';
  shipDate: string;
  estimatedDeliveryDate?: string;
  carrier?: { code?: string; name?: string; trackingNumbers: string[]; method?: string };
  shipFrom?: Party;
  shipTo?: Party;
  orders: ShipNoticeOrder[];
  packages: Package[];
}

export interface AllowanceCharge {
  kind: 'allowance' | 'charge';
  code?: string;
  description?: string;
  amount: string;
  lineNumber?: string;
}
export interface Tax { type?: string; amount: string; percent?: string; lineNumber?: string }
export interface InvoiceLine {
  lineNumber: string;
  /** the PO line this invoice line bills, when it differs from lineNumber or is known separately */
  poLineNumber?: string;
  /** the PO this line bills, when the invoice covers more than one (cXML: several InvoiceDetailOrder) */
  poNumber?: string;
  itemIds: ItemIds;
  quantity: string;
  uom: string;
  unitPrice: string;
  amount: string;
  description?: string;
}
export interface Invoice extends CanonicalBase {
  type: 'invoice';
  invoiceNumber: string;
  invoiceDate: string;
  /** invoice | credit-memo | debit-memo */
  purpose?: 'invoice' | 'credit-memo' | 'debit-memo';
  poNumber: string;
  currency: string;
  paymentTerms?: PaymentTerms;
  remitTo?: Party;
  billTo?: Party;
  shipmentId?: string;
  lines: InvoiceLine[];
  allowancesCharges: AllowanceCharge[];
  taxes: Tax[];
  totalAmount: string;
}

/** An inbound functional acknowledgement (997/999/TA1) or cXML Response, linked to what it answers. */
export interface FunctionalAck extends CanonicalBase {
  type: 'functional-ack';
  ackFormat: '997' | '999' | 'TA1' | 'cxml-response' | 'cxml-status-update';
  /** cXML: the Status code (200, 406 ...) and text of a Response or StatusUpdateRequest */
  statusCode?: string;
  statusText?: string;
  /** cXML StatusUpdateRequest: the payloadID of the document it reports on */
  referencePayloadId?: string;
  /** control numbers of what it answers, as raw strings */
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  functionalIdCode?: string;
  /** accepted | accepted-with-errors | partially-accepted | rejected */
  groupStatus?: 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected';
  transactions: Array<{
    transactionSetId: string;
    controlNumber: string;
    status: 'accepted' | 'accepted-with-errors' | 'rejected';
    errors: string[];
  }>;
  errors: string[];
}

export type CanonicalDocument = Order | OrderAck | ShipNotice | Invoice | FunctionalAck;

/** One problem found in an input, with its position. */
export interface DocumentError {
  /** X12: segment id; cXML: XML path */
  segment?: string;
  path?: string;
  /** 1-based segment position within the transaction set (ST = 1), or within the interchange for envelope errors */
  position?: number;
  element?: number;
  component?: number;
  /** X12 error code (AK3/AK4/IK3/IK4/TA1 code list) or cXML status code */
  code: string;
  message: string;
}

export interface Rejection {
  interchange?: string;
  group?: string;
  transaction?: string;
  errors: DocumentError[];
}

/** What `translate` returns for a whole file: the contract of `cli translate`. */
export interface TranslateResult {
  format: 'x12' | 'cxml';
  documents: CanonicalDocument[];
  rejected: Rejection[];
}
