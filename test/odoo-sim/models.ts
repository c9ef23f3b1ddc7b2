/**
 * The Odoo models the gateway uses, as Odoo 18 or 19 (purchase_stock + account + product_expiry) behave:
 * field names per version, the PO state machine, receipts, lots, vendor bills, chatter, external ids.
 */
import { createRecord, unlinkRecords, writeRecords } from './crud.ts';
import { Orm, OdooException, addDays, round2, typeError, userError, validationError, valueError, type Field, type Method, type Model, type Rec } from './orm.ts';

const m2o = (relation: string, extra: Partial<Field> = {}): Field => ({ type: 'm2o', relation, ...extra });
const o2m = (relation: string, inverse: string): Field => ({ type: 'o2m', relation, inverse });
const m2m = (relation: string, extra: Partial<Field> = {}): Field => ({ type: 'm2m', relation, ...extra });
const char: Field = { type: 'char' };
const float: Field = { type: 'float' };
const bool: Field = { type: 'bool' };
const int: Field = { type: 'int' };
const dt: Field = { type: 'datetime' };
const def = (f: Field, d: unknown): Field => ({ ...f, default: () => (Array.isArray(d) ? [...d] : d) });
const computed = (type: Field['type'], compute: Field['compute'], relation?: string): Field => ({ type, compute, relation });

const PO_STATES = ['draft', 'sent', 'to approve', 'purchase', 'done', 'cancel'];
const TAX_RATE = 0.15;
const all = (orm: Orm, model: string): Rec[] => [...orm.table(model).values()];
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Methods every model has. */
function baseMethods(model: string): Record<string, Method> {
  return {
    search_read: { params: ['domain', 'fields', 'offset', 'limit', 'order'], model: true, varKw: true, fn: (orm, _ids, a) => {
      const ids = orm.search(model, a.domain ?? [], { order: a.order as string, limit: a.limit as number, offset: a.offset as number });
      return orm.readRecords(model, ids, a.fields as string[] | undefined);
    } },
    search: { params: ['domain', 'offset', 'limit', 'order'], required: 1, model: true, fn: (orm, _ids, a) => orm.search(model, a.domain, { order: a.order as string, limit: a.limit as number, offset: a.offset as number }) },
    search_count: { params: ['domain', 'limit'], required: 1, model: true, fn: (orm, _ids, a) => orm.search(model, a.domain).length },
    read: { params: ['fields', 'load'], varKw: false, fn: (orm, ids, a) => orm.readRecords(model, ids, a.fields as string[] | undefined) },
    create: { params: ['vals_list'], required: 1, model: true, fn: (orm, _ids, a, ctx) => {
      const many = Array.isArray(a.vals_list);
      const ids = (many ? a.vals_list as Record<string, unknown>[] : [a.vals_list as Record<string, unknown>]).map((v) => createRecord(orm, model, v, ctx));
      return many ? ids : ids[0];
    } },
    write: { params: ['vals'], required: 1, fn: (orm, ids, a) => writeRecords(orm, model, ids, a.vals as Record<string, unknown>) },
    unlink: { params: [], fn: (orm, ids) => unlinkRecords(orm, model, ids) },
    fields_get: { params: ['allfields', 'attributes'], model: true, fn: (orm) => Object.fromEntries(Object.entries(orm.model(model).fields)
      .map(([n, f]) => [n, { type: { m2o: 'many2one', o2m: 'one2many', m2m: 'many2many', int: 'integer' }[f.type as string] ?? f.type, string: f.label ?? n }])) },
  };
}

/** mail.thread: message_post and activity_schedule. */
function threadMethods(model: string): Record<string, Method> {
  return {
    message_post: { params: ['body', 'subject', 'message_type', 'subtype_xmlid', 'attachment_ids', 'partner_ids', 'body_is_html', 'author_id'], fn: (orm, ids, a, ctx) => {
      const id = postMessage(orm, model, ids[0]!, String(a.body ?? ''), a);
      if (model === 'account.move' && orm.version === 18 && Array.isArray(a.attachment_ids) && a.attachment_ids.length > 0 && !ctx.no_new_invoice
        && orm.mustGet('account.move', ids[0]!).state !== 'draft') {
        postMessage(orm, model, ids[0]!, 'The invoice is not a draft, it was not updated from the attachment.', { message_type: 'comment' });
      }
      return orm.version === 18 ? id : [id];
    } },
    activity_schedule: { params: ['act_type_xmlid', 'date_deadline', 'summary', 'note', 'user_id'], fn: (orm, ids, a) => {
      const created = ids.map((id) => createRecord(orm, 'mail.activity', { res_model: model, res_id: id, summary: a.summary ?? false,
        note: a.note ?? false, date_deadline: a.date_deadline ?? orm.nowString().slice(0, 10), activity_type_id: 4, user_id: a.user_id ?? 2 }));
      return created;
    } },
  };
}

function postMessage(orm: Orm, model: string, resId: number, body: string, a: Record<string, unknown>): number {
  orm.mustGet(model, resId);
  const html = body === '' ? '' : /^\s*</.test(body) ? body : `<p>${body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;
  return createRecord(orm, 'mail.message', { body: html, model, res_id: resId, message_type: a.message_type ?? 'notification',
    subtype_id: a.subtype_xmlid === 'mail.mt_comment' ? 1 : 2, author_id: 3, attachment_ids: [...((a.attachment_ids as number[]) ?? [])] });
}

function define(orm: Orm, m: Omit<Model, 'methods' | 'pyClass'> & { methods?: Record<string, Method>; thread?: boolean; pyClass?: string }): void {
  const pyClass = m.pyClass ?? m.name.split('.').map((s) => s[0]!.toUpperCase() + s.slice(1)).join('');
  orm.define({ ...m, pyClass, methods: { ...baseMethods(m.name), ...(m.thread ? threadMethods(m.name) : {}), ...(m.methods ?? {}) } });
}

export function defineModels(orm: Orm, options: { customFields?: Record<string, Record<string, Field>> } = {}): void {
  const v18 = orm.version === 18;
  const uomField = v18 ? 'product_uom' : 'product_uom_id';
  const taxField = v18 ? 'taxes_id' : 'tax_ids';

  define(orm, { name: 'res.company', description: 'Companies', fields: { name: char, partner_id: m2o('res.partner'), currency_id: m2o('res.currency') } });
  define(orm, { name: 'res.currency', description: 'Currency', fields: { name: char } });
  define(orm, { name: 'res.country', description: 'Country', fields: { name: char, code: char } });
  define(orm, { name: 'res.country.state', description: 'Country state', fields: { name: char, code: char, country_id: m2o('res.country') } });
  define(orm, { name: 'uom.uom', description: 'Product Unit of Measure', fields: { name: char } });
  define(orm, { name: 'account.tax', description: 'Tax', fields: { name: char, amount: float, type_tax_use: char } });
  define(orm, { name: 'res.users', description: 'User', pyClass: 'Users', fields: {
    name: char, login: char, company_id: m2o('res.company'), partner_id: m2o('res.partner'), tz: char, lang: char },
  methods: { context_get: { params: [], model: true, fn: () => ({ lang: 'en_US', tz: false, uid: 2 }) } } });
  define(orm, { name: 'res.partner', description: 'Contact', pyClass: 'Partner', thread: true, fields: {
    name: char, is_company: bool, supplier_rank: int, ref: char, email: char, phone: char, street: char, street2: char, city: char, zip: char,
    state_id: m2o('res.country.state'), country_id: m2o('res.country'), parent_id: m2o('res.partner'),
    commercial_partner_id: computed('m2o', (r) => (r.parent_id as number) || r.id, 'res.partner') },
  methods: { load: { params: ['fields', 'data'], required: 2, model: true, fn: (o, _ids, a) => loadRecords(o, 'res.partner', a.fields as string[], a.data as string[][]) } } });
  define(orm, { name: 'res.config.settings', description: 'Config Settings', fields: { group_stock_production_lot: bool },
    methods: { execute: { params: [], fn: () => ({ type: 'ir.actions.client', tag: 'reload' }) } } });

  const productFields: Record<string, Field> = {
    name: { type: 'char', required: true, label: 'Name' }, default_code: char, barcode: char, type: def(char, 'consu'), is_storable: bool,
    tracking: def(char, 'none'), use_expiration_date: bool, expiration_time: int, purchase_method: def(char, 'receive'),
    standard_price: float, list_price: def(float, 1), uom_id: def(m2o('uom.uom'), 1),
    ...(v18 ? { uom_po_id: def(m2o('uom.uom'), 1) } : {}),
    supplier_taxes_id: def(m2m('account.tax'), [2]),
  };
  const productName = (r: Rec) => (r.default_code ? `[${r.default_code}] ${r.name}` : String(r.name));
  define(orm, { name: 'product.template', description: 'Product', fields: { ...productFields, seller_ids: o2m('product.supplierinfo', 'product_tmpl_id') }, displayName: productName });
  define(orm, { name: 'product.product', description: 'Product Variant', fields: { ...productFields,
    product_tmpl_id: computed('m2o', (r) => r.id, 'product.template'),
    seller_ids: computed('o2m', (r, o) => all(o, 'product.supplierinfo').filter((s) => s.product_tmpl_id === r.id).map((s) => s.id), 'product.supplierinfo') },
  displayName: productName,
  checkCreate: (o, rec) => {
    if (!rec.barcode) return;
    const same = all(o, 'product.product').filter((p) => p.barcode === rec.barcode);
    if (same.length > 1) {
      throw validationError(`Barcode(s) already assigned:\n\n- Barcode "${rec.barcode}" already assigned to product(s): ${same.map(productName).join(' and ')}\n\nNote: products that you don't have access to will not be shown above.`);
    }
  },
  onCreate: (o, rec) => { o.table('product.template').set(rec.id, rec); o.seq.set('product.template', rec.id); } });
  define(orm, { name: 'product.supplierinfo', description: 'Supplier Pricelist', fields: {
    partner_id: { ...m2o('res.partner'), required: true, label: 'Vendor' }, product_tmpl_id: m2o('product.template'), product_id: m2o('product.product'),
    sequence: def(int, 1), product_code: char, product_name: char, price: float, min_qty: float, delay: def(int, 1), [uomField]: def(m2o('uom.uom'), 1), currency_id: def(m2o('res.currency'), 1) },
    // on 19 a template with a single variant shows that variant
    onCreate: (o, rec) => { if (o.version === 19 && !rec.product_id) rec.product_id = rec.product_tmpl_id; } });

  define(orm, { name: 'stock.location', description: 'Inventory Locations', fields: { name: char, complete_name: char }, displayName: (r) => String(r.complete_name) });
  define(orm, { name: 'stock.warehouse', description: 'Warehouse', fields: { name: char, code: char, partner_id: m2o('res.partner') } });
  define(orm, { name: 'stock.picking.type', description: 'Picking Type', fields: { name: char, code: char, warehouse_id: m2o('stock.warehouse'), sequence_code: char },
    displayName: (r, o) => `${o.displayName('res.company', 1)}: ${r.name}` });

  definePurchase(orm, uomField, taxField, options.customFields?.['purchase.order'] ?? {});
  defineStock(orm);
  defineAccount(orm, taxField);

  define(orm, { name: 'mail.message', description: 'Message', order: 'id desc', fields: { body: { type: 'html' }, model: char, res_id: int, message_type: char,
    subtype_id: m2o('mail.message.subtype'), author_id: m2o('res.partner'), attachment_ids: m2m('ir.attachment') } });
  define(orm, { name: 'mail.message.subtype', description: 'Message subtypes', fields: { name: char } });
  define(orm, { name: 'mail.activity.type', description: 'Activity Type', fields: { name: char } });
  define(orm, { name: 'mail.activity', description: 'Activity', fields: { res_model: { type: 'char', required: true, label: 'Related Document Model' },
    res_id: int, summary: char, note: { type: 'html' }, date_deadline: { type: 'date', default: (o) => o.nowString().slice(0, 10) }, activity_type_id: def(m2o('mail.activity.type'), 4), user_id: def(m2o('res.users'), 2) } });
  define(orm, { name: 'ir.attachment', description: 'Attachment', fields: { name: { type: 'char', required: true, label: 'Name' }, res_model: char, res_id: int,
    datas: { type: 'binary' }, mimetype: char, type: def(char, 'binary'),
    file_size: computed('int', (r) => (typeof r.datas === 'string' ? Buffer.from(r.datas, 'base64').length : 0)) } });
  define(orm, { name: 'ir.model.data', description: 'Model Data', fields: { module: char, name: { type: 'char', required: true, label: 'External Identifier' }, model: char, res_id: int, noupdate: bool,
    complete_name: computed('char', (r) => `${r.module}.${r.name}`) },
  checkCreate: (o, rec) => {
    if (all(o, 'ir.model.data').filter((x) => x.module === rec.module && x.name === rec.name).length > 1) {
      throw validationError(`The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\nDETAIL:  Key (module, name)=(${rec.module}, ${rec.name}) already exists.\n`);
    }
  },
  methods: { check_object_reference: { params: ['module', 'xml_id', 'raise_on_access_error'], required: 2, model: true, fn: (o, _ids, a) => {
    const row = all(o, 'ir.model.data').find((x) => x.module === a.module && x.name === a.xml_id);
    if (!row) throw valueError(`External ID not found in the system: ${a.module}.${a.xml_id}`);
    return [row.model, row.res_id];
  } } } });
}

function loadRecords(orm: Orm, model: string, fields: string[], data: string[][]): { ids: number[]; messages: unknown[]; nextrow: number } {
  const ids: number[] = [];
  for (const row of data) {
    const vals: Record<string, unknown> = {};
    let xmlid: string | undefined;
    fields.forEach((f, i) => {
      const raw = row[i];
      if (f === 'id') { xmlid = raw; return; }
      const type = orm.model(model).fields[f]?.type;
      vals[f] = type === 'bool' ? ['1', 'true', 'True'].includes(String(raw)) : raw;
    });
    const [module, name] = xmlid ? xmlid.split('.') : [];
    const existing = xmlid ? all(orm, 'ir.model.data').find((x) => x.module === module && x.name === name) : undefined;
    if (existing) {
      writeRecords(orm, model, [existing.res_id as number], vals);
      ids.push(existing.res_id as number);
    } else {
      const id = createRecord(orm, model, vals);
      if (xmlid) createRecord(orm, 'ir.model.data', { module, name, model, res_id: id });
      ids.push(id);
    }
  }
  return { ids, messages: [], nextrow: 0 };
}

// ---------------------------------------------------------------- purchase

function definePurchase(orm: Orm, uomField: string, taxField: string, custom: Record<string, Field>): void {
  const v18 = orm.version === 18;
  const lines = (o: Orm, po: number) => all(o, 'purchase.order.line').filter((l) => l.order_id === po).sort((a, b) => a.id - b.id);
  const lineAmounts = (l: Rec) => { const sub = round2(num(l.product_qty) * num(l.price_unit)); return { sub, tax: round2(sub * TAX_RATE) }; };
  const billLinesOf = (o: Orm, lineId: number) => all(o, 'account.move.line').filter((x) => x.purchase_line_id === lineId);
  const doneMoves = (o: Orm, lineId: number) => all(o, 'stock.move').filter((m) => m.purchase_line_id === lineId && m.state === 'done');
  const qtyReceived = (o: Orm, l: Rec) => doneMoves(o, l.id).reduce((s, m) => s + num(o.value('stock.move', m, 'quantity')), 0);
  const qtyInvoiced = (o: Orm, l: Rec) => billLinesOf(o, l.id).reduce((s, x) => {
    const move = o.get('account.move', x.move_id as number);
    if (!move || move.state !== 'posted') return s;
    return s + (move.move_type === 'in_refund' ? -1 : 1) * num(x.quantity);
  }, 0);
  const qtyToInvoice = (o: Orm, l: Rec) => {
    const po = o.mustGet('purchase.order', l.order_id as number);
    if (!['purchase', 'done'].includes(String(po.state))) return 0;
    const product = o.get('product.product', l.product_id as number);
    const base = product?.purchase_method === 'purchase' ? num(l.product_qty) : qtyReceived(o, l);
    return base - qtyInvoiced(o, l);
  };
  const invoiceIds = (o: Orm, po: number) => [...new Set(lines(o, po).flatMap((l) => billLinesOf(o, l.id).map((x) => x.move_id as number)))].sort((a, b) => b - a);

  define(orm, { name: 'purchase.order', description: 'Purchase Order', thread: true, order: 'id desc', fields: {
    name: { type: 'char', default: (o) => `P${String(o.nextSeq('purchase.order')).padStart(5, '0')}` },
    state: def({ type: 'selection' }, 'draft'),
    partner_id: { ...m2o('res.partner'), required: true, label: 'Vendor' },
    partner_ref: char, origin: char, notes: { type: 'html' },
    date_order: { type: 'datetime', default: (o) => o.nowString() }, date_approve: dt,
    date_planned: { type: 'datetime', compute: (r, o) => lines(o, r.id).map((l) => String(l.date_planned)).sort()[0] ?? r.date_planned_input ?? false },
    order_line: o2m('purchase.order.line', 'order_id'),
    picking_type_id: def(m2o('stock.picking.type'), 1), company_id: def(m2o('res.company'), 1), currency_id: def(m2o('res.currency'), 1),
    user_id: def(m2o('res.users'), 2),
    picking_ids: computed('m2m', (r, o) => all(o, 'stock.picking').filter((p) => p.purchase_id === r.id).map((p) => p.id).sort((a, b) => a - b), 'stock.picking'),
    receipt_status: computed('selection', (r, o) => {
      const ps = all(o, 'stock.picking').filter((p) => p.purchase_id === r.id && p.state !== 'cancel');
      if (ps.length === 0) return false;
      if (ps.every((p) => p.state === 'done')) return 'full';
      return ps.some((p) => p.state === 'done') ? 'partial' : 'pending';
    }),
    invoice_status: computed('selection', (r, o) => {
      if (!['purchase', 'done'].includes(String(r.state))) return 'no';
      const ls = lines(o, r.id);
      if (ls.some((l) => Math.abs(qtyToInvoice(o, l)) > 1e-9)) return 'to invoice';
      return invoiceIds(o, r.id).length > 0 ? 'invoiced' : 'no';
    }),
    invoice_ids: computed('m2m', (r, o) => invoiceIds(o, r.id), 'account.move'),
    invoice_count: computed('int', (r, o) => invoiceIds(o, r.id).length),
    amount_untaxed: computed('float', (r, o) => round2(lines(o, r.id).reduce((s, l) => s + lineAmounts(l).sub, 0))),
    amount_tax: computed('float', (r, o) => round2(lines(o, r.id).reduce((s, l) => s + lineAmounts(l).tax, 0))),
    amount_total: computed('float', (r, o) => round2(lines(o, r.id).reduce((s, l) => s + lineAmounts(l).sub + lineAmounts(l).tax, 0))),
    date_planned_input: { type: 'datetime', compute: undefined },
    ...(v18 ? { mail_reception_confirmed: bool, mail_reminder_confirmed: bool } : { acknowledged: bool, locked: bool }),
    ...custom,
  },
  displayName: (r) => (r.partner_ref ? `${r.name} (${r.partner_ref})` : String(r.name)),
  beforeCreate: (_o, vals) => { if ('date_planned' in vals) { vals.date_planned_input = vals.date_planned; delete vals.date_planned; } },
  methods: {
    button_confirm: { params: [], fn: (o, ids) => {
      for (const id of ids) {
        const po = o.mustGet('purchase.order', id);
        if (!['draft', 'sent'].includes(String(po.state))) continue;
        po.state = 'purchase';
        po.date_approve = o.nowString();
        o.touch('purchase.order', id);
        createReceipt(o, po, lines(o, id));
      }
      return true;
    } },
    button_cancel: { params: [], fn: (o, ids) => {
      for (const id of ids) {
        const po = o.mustGet('purchase.order', id);
        const label = o.displayName('purchase.order', id);
        const doneReceipt = all(o, 'stock.picking').some((p) => p.purchase_id === id && p.state === 'done');
        const posted = invoiceIds(o, id).some((b) => o.mustGet('account.move', b).state === 'posted');
        if (o.version === 18 && doneReceipt) throw userError(`Unable to cancel purchase order(s): ${label} since they have receipts that are already done.`);
        if (posted) throw userError(`Unable to cancel purchase order(s): ${label}. You must first cancel their related vendor bills.`);
        if (doneReceipt) throw userError(`Unable to cancel purchase order(s): ${label} since they have receipts that are already done.`);
        po.state = 'cancel';
        o.touch('purchase.order', id);
        for (const p of all(o, 'stock.picking').filter((x) => x.purchase_id === id && x.state !== 'done')) p.state = 'cancel';
      }
      return true;
    } },
    ...(v18 ? {} : { action_acknowledge: { params: [], fn: (o: Orm, ids: number[]) => { for (const id of ids) { o.mustGet('purchase.order', id).acknowledged = true; o.touch('purchase.order', id); } return undefined; } } }),
    action_create_invoice: { params: v18 ? [] : ['attachment_ids'], fn: (o, ids) => {
      const po = o.mustGet('purchase.order', ids[0]!);
      const ls = lines(o, po.id).filter((l) => v18 ? Math.abs(qtyToInvoice(o, l)) > 1e-9 : true);
      if (ls.length === 0) {
        throw userError('There is no invoiceable line. If a product has a control policy based on received quantity, please make sure that a quantity has been received.');
      }
      const bill = createRecord(o, 'account.move', { move_type: 'in_invoice', partner_id: po.partner_id, invoice_origin: po.name,
        invoice_line_ids: ls.map((l) => [0, 0, { product_id: l.product_id, quantity: qtyToInvoice(o, l), price_unit: l.price_unit, purchase_line_id: l.id }]) });
      return { type: 'ir.actions.act_window', res_model: 'account.move', res_id: bill, name: 'Bills', display_name: 'Bills', xml_id: 'account.action_move_in_invoice_type' };
    } },
  } });

  define(orm, { name: 'purchase.order.line', description: 'Purchase Order Line', fields: {
    order_id: { ...m2o('purchase.order'), required: true, label: 'Order Reference' }, sequence: def(int, 10),
    product_id: m2o('product.product'), name: char, product_qty: float, price_unit: float, date_planned: dt,
    [uomField]: def(m2o('uom.uom'), 1), [taxField]: { type: 'm2m', relation: 'account.tax', default: (o, vals) => [...((o.get('product.product', vals.product_id as number)?.supplier_taxes_id as number[]) ?? [])] },
    qty_received: computed('float', (r, o) => qtyReceived(o, r)),
    qty_invoiced: computed('float', (r, o) => qtyInvoiced(o, r)),
    qty_to_invoice: computed('float', (r, o) => qtyToInvoice(o, r)),
    price_subtotal: computed('float', (r) => lineAmounts(r).sub),
    price_total: computed('float', (r) => round2(lineAmounts(r).sub + lineAmounts(r).tax)),
    move_ids: computed('o2m', (r, o) => all(o, 'stock.move').filter((m) => m.purchase_line_id === r.id).map((m) => m.id).sort((a, b) => a - b), 'stock.move'),
    manual_price: bool,
  },
  displayName: (r) => String(r.name),
  onCreate: (o, rec) => {
    const po = o.mustGet('purchase.order', rec.order_id as number);
    const seller = sellerOf(o, rec.product_id as number, po.partner_id as number);
    const product = o.get('product.product', rec.product_id as number);
    if (!rec.name && product) rec.name = seller ? `[${seller.product_code}] ${seller.product_name || product.name}` : productLabel(product);
    if (!rec.date_planned) rec.date_planned = po.date_planned_input || o.nowString(num(seller?.delay));
    if (rec.price_unit === undefined) rec.price_unit = seller ? num(seller.price) : num(product?.standard_price);
  },
  onWrite: (o, rec, vals, before) => {
    o.touch('purchase.order', rec.order_id as number); // its stored amounts and date_planned are recomputed
    if ('price_unit' in vals && !('product_qty' in vals) && o.version === 19) rec.manual_price = true;
    if ('product_qty' in vals && !('price_unit' in vals) && !rec.manual_price) {
      const po = o.mustGet('purchase.order', rec.order_id as number);
      const seller = sellerOf(o, rec.product_id as number, po.partner_id as number);
      if (seller) {
        rec.price_unit = num(seller.price);
        if (!('date_planned' in vals)) rec.date_planned = o.nowString(num(seller.delay) - 2);
      }
    }
    if ('date_planned' in vals || 'product_qty' in vals) updateReceiptMoves(o, rec, before);
  } });
}

function sellerOf(o: Orm, productId: number, partnerId: number): Rec | undefined {
  return all(o, 'product.supplierinfo').find((s) => s.partner_id === partnerId && (s.product_id === productId || s.product_tmpl_id === productId));
}
function productLabel(p: Rec): string { return p.default_code ? `[${p.default_code}] ${p.name}` : String(p.name); }

// ---------------------------------------------------------------- stock

function createReceipt(o: Orm, po: Rec, poLines: Rec[]): void {
  const pickingId = createRecord(o, 'stock.picking', { origin: po.name, purchase_id: po.id, partner_id: po.partner_id, picking_type_id: 1,
    location_id: vendorLocation(o), location_dest_id: stockLocation(o), state: 'assigned' });
  for (const l of poLines) addMove(o, pickingId, l, num(l.product_qty), String(l.date_planned));
}

const vendorLocation = (o: Orm) => (o.version === 18 ? 4 : 1);
const stockLocation = (o: Orm) => (o.version === 18 ? 8 : 5);

function addMove(o: Orm, pickingId: number, line: Rec, qty: number, date: string): number {
  const move = createRecord(o, 'stock.move', { picking_id: pickingId, product_id: line.product_id, purchase_line_id: line.id, product_uom_qty: qty,
    date, date_deadline: date, state: 'assigned', location_id: vendorLocation(o), location_dest_id: stockLocation(o) });
  reserve(o, o.mustGet('stock.move', move));
  return move;
}

/** Reservation of an incoming move: one move line for the full quantity. */
function reserve(o: Orm, move: Rec): void {
  createRecord(o, 'stock.move.line', { move_id: move.id, picking_id: move.picking_id, product_id: move.product_id, quantity: move.product_uom_qty });
}

function updateReceiptMoves(o: Orm, line: Rec, before: Rec): void {
  const po = o.mustGet('purchase.order', line.order_id as number);
  if (po.state !== 'purchase') return;
  const moves = all(o, 'stock.move').filter((m) => m.purchase_line_id === line.id && !['done', 'cancel'].includes(String(m.state)));
  for (const m of moves) m.date_deadline = line.date_planned;
  const delta = num(line.product_qty) - num(before.product_qty);
  if (delta === 0 || moves.length === 0) return;
  const picking = moves[0]!.picking_id as number;
  if (delta > 0 && line.date_planned === before.date_planned) {
    // Odoo creates a move for the difference and merges it into the existing one
    o.nextId('stock.move');
    const m = moves[0]!;
    m.product_uom_qty = num(m.product_uom_qty) + delta;
    const ml = all(o, 'stock.move.line').find((x) => x.move_id === m.id);
    if (ml) ml.quantity = num(ml.quantity) + delta;
  } else if (delta > 0) {
    addMove(o, picking, line, delta, String(line.date_planned));
  } else {
    const m = moves[moves.length - 1]!;
    m.product_uom_qty = Math.max(0, num(m.product_uom_qty) + delta);
    const ml = all(o, 'stock.move.line').find((x) => x.move_id === m.id);
    if (ml) ml.quantity = Math.min(num(ml.quantity), num(m.product_uom_qty));
  }
}

function defineStock(orm: Orm): void {
  const movesOf = (o: Orm, picking: number) => all(o, 'stock.move').filter((m) => m.picking_id === picking).sort((a, b) => a.id - b.id);
  const linesOfMove = (o: Orm, move: number) => all(o, 'stock.move.line').filter((l) => l.move_id === move);
  const location = (id: unknown, o: Orm) => String(o.get('stock.location', id as number)?.name ?? '');

  define(orm, { name: 'stock.picking', description: 'Transfer', thread: true, order: 'id desc', fields: {
    name: { type: 'char', default: (o) => `WH/IN/${String(o.nextSeq('stock.picking')).padStart(5, '0')}` },
    state: def(char, 'draft'), origin: char, note: { type: 'html' }, purchase_id: m2o('purchase.order'), partner_id: m2o('res.partner'),
    picking_type_id: m2o('stock.picking.type'), location_id: m2o('stock.location'), location_dest_id: m2o('stock.location'),
    picking_type_code: computed('selection', (r, o) => o.get('stock.picking.type', r.picking_type_id as number)?.code ?? false),
    scheduled_date: computed('datetime', (r, o) => movesOf(o, r.id).map((m) => String(m.date)).sort()[0] ?? false),
    date_deadline: computed('datetime', (r, o) => movesOf(o, r.id).map((m) => String(m.date_deadline)).filter((d) => d !== 'false').sort()[0] ?? false),
    date_done: dt,
    move_ids: o2m('stock.move', 'picking_id'), move_line_ids: o2m('stock.move.line', 'picking_id'),
    backorder_id: m2o('stock.picking'), backorder_ids: o2m('stock.picking', 'backorder_id'),
  },
  methods: { button_validate: { params: [], fn: (o, ids, _a, ctx) => validatePickings(o, ids, ctx) } } });

  define(orm, { name: 'stock.move', description: 'Stock Move', fields: {
    name: char, picking_id: m2o('stock.picking'), product_id: m2o('product.product'), purchase_line_id: m2o('purchase.order.line'),
    product_uom_qty: float, product_uom: def(m2o('uom.uom'), 1), picked: bool, state: def(char, 'draft'), date: dt, date_deadline: dt,
    location_id: m2o('stock.location'), location_dest_id: m2o('stock.location'),
    quantity: computed('float', (r, o) => linesOfMove(o, r.id).reduce((s, l) => s + num(l.quantity), 0)),
    move_line_ids: o2m('stock.move.line', 'move_id'),
    has_tracking: computed('selection', (r, o) => o.get('product.product', r.product_id as number)?.tracking ?? 'none'),
  },
  displayName: (r, o) => {
    const origin = o.get('stock.picking', r.picking_id as number)?.origin;
    const code = o.get('product.product', r.product_id as number)?.default_code;
    return `${origin ? `${origin}/` : ''}${code ? `${code}: ` : ''}${location(r.location_id, o)}>${location(r.location_dest_id, o)}`;
  } });

  define(orm, { name: 'stock.move.line', description: 'Product Moves (Stock Move Line)', fields: {
    move_id: m2o('stock.move'), picking_id: m2o('stock.picking'), product_id: m2o('product.product'), quantity: float, picked: bool,
    lot_id: m2o('stock.lot'), lot_name: char, expiration_date: dt, location_id: m2o('stock.location'), location_dest_id: m2o('stock.location'),
    product_uom_id: def(m2o('uom.uom'), 1),
  },
  onCreate: (o, rec, vals) => {
    const move = o.get('stock.move', rec.move_id as number);
    if (move) {
      rec.product_id ||= move.product_id;
      rec.location_id ||= move.location_id;
      rec.location_dest_id ||= move.location_dest_id;
    }
    const product = o.get('product.product', rec.product_id as number);
    if (!('expiration_date' in vals) && product?.use_expiration_date && move) rec.expiration_date = addDays(String(move.date), num(product.expiration_time));
  } });

  define(orm, { name: 'stock.lot', description: 'Lot/Serial', fields: {
    name: { type: 'char', required: true, label: 'Lot/Serial Number' }, product_id: { ...m2o('product.product'), required: true, label: 'Product' },
    expiration_date: dt, use_date: dt, removal_date: dt, alert_date: dt,
    product_qty: computed('float', (r, o) => all(o, 'stock.move.line').filter((l) => l.lot_id === r.id && o.get('stock.move', l.move_id as number)?.state === 'done')
      .reduce((s, l) => s + num(l.quantity), 0)),
  } });

  function validatePickings(o: Orm, ids: number[], ctx: Record<string, unknown>): unknown {
    for (const id of ids) {
      const picking = o.mustGet('stock.picking', id);
      if (picking.state === 'done') throw userError(`The transfer ${picking.name} is already done.`);
      if (picking.state === 'cancel') throw userError(`You cannot validate a transfer that is cancelled.`);
      const moves = movesOf(o, id).filter((m) => m.state !== 'cancel');
      const qty = (m: Rec) => linesOfMove(o, m.id).reduce((s, l) => s + num(l.quantity), 0);
      if (moves.every((m) => qty(m) === 0)) {
        throw userError('You cannot validate a transfer if no quantities are reserved nor done. You can use the info button on the top right corner of your screen to take a look at the potential reasons.');
      }
      for (const m of moves) {
        const product = o.mustGet('product.product', m.product_id as number);
        if (product.tracking !== 'none' && linesOfMove(o, m.id).some((l) => num(l.quantity) > 0 && !l.lot_name && !l.lot_id)) {
          throw userError(`You need to supply a Lot/Serial number for product:\n- ${productLabel(product)}`);
        }
      }
      const short = moves.filter((m) => qty(m) < num(m.product_uom_qty));
      if (short.length > 0 && !ctx.skip_backorder) {
        return { name: 'Create Backorder?', type: 'ir.actions.act_window', res_model: 'stock.backorder.confirmation', target: 'new', context: { default_pick_ids: [[4, id]] } };
      }
      const anyPicked = moves.some((m) => m.picked);
      let backorder: number | undefined;
      for (const m of moves) {
        const done = qty(m);
        if (!anyPicked && done > 0) m.picked = true;
        if (done < num(m.product_uom_qty)) {
          backorder ??= createRecord(o, 'stock.picking', { origin: picking.origin, purchase_id: picking.purchase_id, partner_id: picking.partner_id,
            picking_type_id: picking.picking_type_id, location_id: picking.location_id, location_dest_id: picking.location_dest_id, backorder_id: id, state: 'assigned' });
          const line = o.mustGet('purchase.order.line', m.purchase_line_id as number);
          const rest = createRecord(o, 'stock.move', { picking_id: backorder, product_id: m.product_id, purchase_line_id: line.id,
            product_uom_qty: num(m.product_uom_qty) - done, date: m.date, date_deadline: m.date_deadline, state: 'assigned', location_id: m.location_id, location_dest_id: m.location_dest_id });
          reserve(o, o.mustGet('stock.move', rest));
          m.product_uom_qty = done;
        }
        if (done === 0) { m.state = 'cancel'; continue; }
        m.state = 'done';
        for (const l of linesOfMove(o, m.id)) {
          l.picked = true;
          if (l.lot_name && !l.lot_id) {
            const existing = all(o, 'stock.lot').find((x) => x.name === l.lot_name && x.product_id === l.product_id);
            l.lot_id = existing?.id ?? createRecord(o, 'stock.lot', { name: l.lot_name, product_id: l.product_id, expiration_date: l.expiration_date,
              use_date: l.expiration_date, removal_date: l.expiration_date, alert_date: l.expiration_date });
          }
        }
      }
      picking.state = 'done';
      picking.date_done = o.nowString();
    }
    return true;
  }
}

// ---------------------------------------------------------------- account

function defineAccount(orm: Orm, taxField: string): void {
  const productLines = (o: Orm, move: number) => all(o, 'account.move.line').filter((l) => l.move_id === move && l.display_type === 'product').sort((a, b) => a.id - b.id);
  const sub = (l: Rec) => round2(num(l.quantity) * num(l.price_unit));
  const taxOf = (l: Rec) => ((l.tax_ids as number[]) ?? []).length > 0 ? round2(sub(l) * TAX_RATE) : 0;
  const untaxed = (o: Orm, id: number) => round2(productLines(o, id).reduce((s, l) => s + sub(l), 0));
  const tax = (o: Orm, id: number) => round2(productLines(o, id).reduce((s, l) => s + taxOf(l), 0));

  define(orm, { name: 'account.move', description: 'Journal Entry', thread: true, order: 'id desc', fields: {
    name: char, state: def(char, 'draft'), move_type: def(char, 'entry'), partner_id: m2o('res.partner'),
    commercial_partner_id: computed('m2o', (r, o) => (r.partner_id ? (o.get('res.partner', r.partner_id as number)?.parent_id as number) || r.partner_id : false), 'res.partner'),
    ref: char, invoice_date: { type: 'date' }, invoice_date_due: { type: 'date', default: (o) => o.nowString().slice(0, 10) }, invoice_origin: char, narration: { type: 'html' },
    payment_reference: char, date: { type: 'date' },
    currency_id: def(m2o('res.currency'), 1), payment_state: def(char, 'not_paid'),
    invoice_line_ids: computed('o2m', (r, o) => productLines(o, r.id).map((l) => l.id), 'account.move.line'),
    line_ids: o2m('account.move.line', 'move_id'),
    amount_untaxed: computed('float', (r, o) => untaxed(o, r.id)),
    amount_tax: computed('float', (r, o) => tax(o, r.id)),
    amount_total: computed('float', (r, o) => round2(untaxed(o, r.id) + tax(o, r.id))),
    duplicated_ref_ids: computed('m2m', (r, o) => {
      if (!r.ref || !['in_invoice', 'in_refund'].includes(String(r.move_type))) return [];
      const cp = o.value('account.move', r, 'commercial_partner_id');
      return all(o, 'account.move').filter((x) => x.id !== r.id && x.ref === r.ref && x.state !== 'cancel' && x.move_type === r.move_type
        && o.value('account.move', x, 'commercial_partner_id') === cp).map((x) => x.id);
    }, 'account.move'),
  },
  displayName: (r) => (r.name ? String(r.name) : `Draft Bill (* ${r.id})`),
  beforeCreate: (o, vals) => {
    if (Array.isArray(vals.invoice_line_ids)) {
      vals.line_ids = (vals.invoice_line_ids as unknown[]).map((c) => {
        const [op, id, v] = c as [number, number, Record<string, unknown>];
        return op === 0 ? [0, 0, { display_type: 'product', ...v }] : c;
      });
      delete vals.invoice_line_ids;
    }
    void o;
  },
  onCreate: (o, rec) => {
    syncTotals(o, rec);
    const pos = [...new Set(productLines(o, rec.id).map((l) => o.get('purchase.order.line', l.purchase_line_id as number)?.order_id as number).filter(Boolean))];
    if (pos.length === 0) return;
    if (o.version === 19) postMessage(o, 'account.move', rec.id, 'Vendor Bill Created', {});
    postMessage(o, 'account.move', rec.id, `<p>This vendor bill has been created from: ${pos.map((po) => `<a href="#" data-oe-model="purchase.order" data-oe-id="${po}">${o.displayName('purchase.order', po)}</a>`).join(', ')}</p>`, {});
  },
  onWrite: (o, rec) => syncTotals(o, rec),
  methods: { action_post: { params: [], fn: (o, ids) => {
    for (const id of ids) {
      const move = o.mustGet('account.move', id);
      if (move.state !== 'draft') throw userError(`The entry ${o.displayName('account.move', id)} (id ${id}) must be in draft.`);
      if (String(move.move_type).startsWith('in_') && !move.invoice_date) throw userError('The Bill/Refund date is required to validate this document.');
      if (productLines(o, id).length === 0) throw userError('You need to add a line before posting.');
      const date = String(move.invoice_date);
      const prefix = `${move.move_type === 'in_refund' ? 'RBILL' : 'BILL'}/${date.slice(0, 4)}/${date.slice(5, 7)}/`;
      move.name = `${prefix}${String(o.nextSeq(prefix)).padStart(4, '0')}`;
      move.state = 'posted';
      postMessage(o, 'account.move', id, '', {});
    }
    return false;
  } } } });

  define(orm, { name: 'account.move.line', description: 'Journal Item', fields: {
    move_id: m2o('account.move'), display_type: def(char, 'product'), product_id: m2o('product.product'), name: char, quantity: def(float, 1), price_unit: float,
    purchase_line_id: m2o('purchase.order.line'), tax_ids: m2m('account.tax'), product_uom_id: m2o('uom.uom'),
    purchase_order_id: computed('m2o', (r, o) => o.get('purchase.order.line', r.purchase_line_id as number)?.order_id ?? false, 'purchase.order'),
    price_subtotal: computed('float', (r) => (r.display_type === 'product' ? sub(r) : 0)),
  },
  onCreate: (o, rec, vals) => {
    if (rec.display_type !== 'product') return;
    const product = o.get('product.product', rec.product_id as number);
    const pol = o.get('purchase.order.line', rec.purchase_line_id as number);
    if (!('tax_ids' in vals)) rec.tax_ids = pol ? [...((pol[taxField] as number[]) ?? [])] : [...((product?.supplier_taxes_id as number[]) ?? [])];
    if (!('product_uom_id' in vals) && product) rec.product_uom_id = product.uom_id;
    if (!rec.name) rec.name = pol ? `${o.displayName('purchase.order', pol.order_id as number).split(' ')[0]}: ${pol.name}` : product ? productLabel(product) : false;
  } });

  /** The tax and payment-term lines Odoo keeps beside the product lines. */
  function syncTotals(o: Orm, move: Rec): void {
    if (!String(move.move_type).startsWith('in_')) return;
    for (const l of all(o, 'account.move.line').filter((x) => x.move_id === move.id && x.display_type !== 'product')) o.table('account.move.line').delete(l.id);
    const t = tax(o, move.id);
    if (t !== 0) createRecord(o, 'account.move.line', { move_id: move.id, display_type: 'tax', quantity: 0, price_unit: 0, name: '15%' });
    createRecord(o, 'account.move.line', { move_id: move.id, display_type: 'payment_term', quantity: 0, price_unit: 0, name: false });
  }
}

export { OdooException, typeError };
