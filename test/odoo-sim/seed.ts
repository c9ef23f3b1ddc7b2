/** What a fresh Odoo database holds before the gateway's first call (ids as in the recorded databases). */
import type { Orm, Rec } from './orm.ts';

function put(orm: Orm, model: string, rec: Rec): void {
  orm.table(model).set(rec.id, rec);
  if ((orm.seq.get(model) ?? 0) < rec.id) orm.seq.set(model, rec.id);
}

export function seedBase(orm: Orm): void {
  put(orm, 'res.currency', { id: 1, name: 'USD' });
  put(orm, 'res.country', { id: 233, name: 'United States', code: 'US' });
  put(orm, 'res.partner', { id: 1, name: 'My Company', is_company: true, street: '250 Executive Park Blvd', city: 'San Francisco', zip: '94134', country_id: 233 });
  put(orm, 'res.partner', { id: 2, name: 'OdooBot' });
  put(orm, 'res.partner', { id: 3, name: 'Administrator' });
  // the first partner the gateway creates is 7 on the recorded 18 database and 6 on 19
  orm.seq.set('res.partner', orm.version === 18 ? 6 : 5);
  put(orm, 'res.company', { id: 1, name: 'My Company', partner_id: 1, currency_id: 1 });
  put(orm, 'res.users', { id: 2, name: 'Administrator', login: 'admin', company_id: 1, partner_id: 3, tz: false, lang: 'en_US' });
  put(orm, 'uom.uom', { id: 1, name: 'Units' });
  put(orm, 'uom.uom', { id: 2, name: 'Dozens' });
  put(orm, 'uom.uom', { id: 12, name: 'kg' });
  put(orm, 'account.tax', { id: 1, name: '15%', amount: 15, type_tax_use: 'sale' });
  put(orm, 'account.tax', { id: 2, name: '15%', amount: 15, type_tax_use: 'purchase' });
  const [vendors, stock] = orm.version === 18 ? [4, 8] : [1, 5];
  put(orm, 'stock.location', { id: vendors, name: 'Vendors', complete_name: orm.version === 18 ? 'Partners/Vendors' : 'Vendors' });
  put(orm, 'stock.location', { id: stock, name: 'Stock', complete_name: 'WH/Stock' });
  put(orm, 'stock.warehouse', { id: 1, name: 'My Company', code: 'WH', partner_id: 1 });
  put(orm, 'stock.picking.type', { id: 1, name: 'Receipts', code: 'incoming', warehouse_id: 1, sequence_code: 'IN' });
  put(orm, 'mail.message.subtype', { id: 1, name: 'Discussions' });
  put(orm, 'mail.message.subtype', { id: 2, name: 'Note' });
  put(orm, 'mail.activity.type', { id: 4, name: 'To-Do' });
  orm.seq.set('mail.message', orm.version === 18 ? 15 : 104);
  orm.seq.set('ir.attachment', orm.version === 18 ? 470 : 493);
}
