// Throughput of render850 (canonical order → whole 850 interchange) against a bare string join of the
// same segments (the reference), both measured in this run. Bounded: 3 rounds of 2,000 orders.
import type { Order } from '../translators/types.ts';
import { render850 } from '../translators/x12/render850.ts';

const profile = { id: 'bench', name: 'Bench', enabled: true, formats: ['x12' as const], x12: { isaQualifier: 'ZZ', isaId: 'SUPPLIER', gsId: 'SUPPLIER' } };
const ours = { isaQualifier: 'ZZ', isaId: 'BUYER', gsId: 'BUYER' };
const order: Order = {
  type: 'order', poNumber: 'PO-1', orderDate: '2026-03-02', currency: 'USD', contractNumber: 'GPO-118',
  shipTo: { name: 'Example Hospital', ids: [{ qualifier: '92', value: 'EXH01' }], address: { lines: ['1 Main St'], city: 'Dayton', state: 'OH', postalCode: '45402', country: 'US' } },
  lines: Array.from({ length: 20 }, (_, i) => ({ lineNumber: String(i + 1), quantity: '12', uom: 'BX', unitPrice: '14.25', itemIds: { vendorPart: `AB-${i}`, gtin: '10382650000126' }, description: 'Syringe 10 mL, 100/box' })),
};
const N = 2000;
const date = new Date('2026-03-02T10:00:00Z');

function timeIt(fn: (i: number) => string): { perSecond: number; bytes: number } {
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) bytes += fn(i).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: N / seconds, bytes };
}

const reference = (i: number) => ['ST*850*0001', `BEG*00*SA*PO-${i}**20260302`, ...order.lines.map((l) => `PO1*${l.lineNumber}*${l.quantity}*${l.uom}*${l.unitPrice}*PE*VN*${l.itemIds.vendorPart}*UK*${l.itemIds.gtin}`), 'SE*24*0001'].join('~\n');
const render = (i: number) => render850({ ...order, poNumber: `PO-${i}` }, { profile, ours, controlNumbers: { interchange: String(i + 1), group: String(i + 1), transaction: '1' }, date });

for (let round = 1; round <= 3; round++) {
  const ref = timeIt(reference);
  const r = timeIt(render);
  console.log(`round ${round}: render850 ${r.perSecond.toFixed(0)} orders/s (20 lines, ${(r.bytes / N).toFixed(0)} B each); bare join reference ${ref.perSecond.toFixed(0)} orders/s; ratio ${(ref.perSecond / r.perSecond).toFixed(1)}x`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
