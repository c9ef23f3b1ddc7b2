/** An InvoiceDetailRequest with `lines` lines, built from the test fixture (shared by the cXML benches). */
import { readFileSync } from 'node:fs';

const fixture = readFileSync(new URL('../test/fixtures/cxml/invoice-credit-memo.xml', import.meta.url), 'utf8');

export function invoiceWithLines(lines: number): string {
  const item = /<InvoiceDetailItem [\s\S]*?<\/InvoiceDetailItem>/.exec(fixture)![0];
  const items = Array.from({ length: lines }, (_, i) => item.replace('invoiceLineNumber="1"', `invoiceLineNumber="${i + 1}"`)).join('\n');
  return fixture.replace(item, items).replace('deploymentMode="test"', 'deploymentMode="production"');
}
