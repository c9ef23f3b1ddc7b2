/**
 * The state of an order, derived from what is known about it rather than from the order in which
 * documents arrived: an 856 that comes before its 855, or an 810 before its 856, gives the same state
 * as the textbook order 850 → 997 → 855 → 856 → 810.
 */
import { compareDecimal, sumDecimals } from '../../translators/common/decimal.ts';

export type OrderState =
  | 'queued' // stored, not yet delivered
  | 'sent'
  | 'acknowledged'
  | 'acknowledged-with-changes'
  | 'rejected'
  | 'partially-shipped'
  | 'shipped'
  | 'invoiced'
  | 'cancelled';

export const ORDER_STATES: readonly OrderState[] = [
  'queued', 'sent', 'acknowledged', 'acknowledged-with-changes', 'rejected', 'partially-shipped', 'shipped', 'invoiced', 'cancelled',
];

export interface OrderedLine { lineNumber: string; quantity: string; uom?: string }
export interface ShippedLine { lineNumber: string; quantityShipped: string }

export interface OrderFacts {
  sent: boolean;
  cancelled: boolean;
  transmissionRejected: boolean;
  ackType: 'accepted' | 'accepted-with-changes' | 'rejected' | null;
  /** lines of the latest revision; empty when the order itself was never seen (sent before the gateway) */
  orderedLines: OrderedLine[];
  /** the lines of every shipment not withdrawn */
  shipments: ShippedLine[][];
  invoiceCount: number;
}

/** True when every ordered line has shipped in full (summed over every shipment). */
export function fullyShipped(ordered: OrderedLine[], shipments: ShippedLine[][]): boolean {
  if (shipments.length === 0) return false;
  if (ordered.length === 0) return true; // nothing to compare with: a shipment is all we know
  return ordered.every((line) => {
    const shipped = shipments.flat().filter((s) => s.lineNumber === line.lineNumber).map((s) => s.quantityShipped);
    return shipped.length > 0 && compareDecimal(sumDecimals(shipped), line.quantity) >= 0;
  });
}

export function deriveOrderState(f: OrderFacts): OrderState {
  if (f.cancelled) return 'cancelled';
  if (f.invoiceCount > 0) return 'invoiced';
  if (f.shipments.length > 0) return fullyShipped(f.orderedLines, f.shipments) ? 'shipped' : 'partially-shipped';
  if (f.transmissionRejected || f.ackType === 'rejected') return 'rejected';
  if (f.ackType === 'accepted') return 'acknowledged';
  if (f.ackType === 'accepted-with-changes') return 'acknowledged-with-changes';
  return f.sent ? 'sent' : 'queued';
}
