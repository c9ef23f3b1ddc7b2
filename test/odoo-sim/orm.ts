/**
 * The in-memory ORM under the Odoo simulator: records per model, field specs, Odoo's read format
 * (many2one as [id, display_name], empty as false), domains with Odoo's operators and its errors.
 */
export class OdooException extends Error {
  constructor(readonly pyName: string, message: string, readonly json2Status: number, readonly extraArgs: unknown[] = []) {
    super(message);
  }
}
export const userError = (m: string) => new OdooException('odoo.exceptions.UserError', m, 422);
export const validationError = (m: string) => new OdooException('odoo.exceptions.ValidationError', m, 422);
export const valueError = (m: string) => new OdooException('builtins.ValueError', m, 500);
export const typeError = (m: string) => new OdooException('builtins.TypeError', m, 500);

export type Rec = { id: number } & Record<string, unknown>;
export type FieldType = 'char' | 'text' | 'html' | 'int' | 'float' | 'bool' | 'date' | 'datetime' | 'selection' | 'm2o' | 'o2m' | 'm2m' | 'json' | 'binary';
export interface Field {
  type: FieldType;
  relation?: string;
  /** o2m: the many2one field on `relation` pointing back */
  inverse?: string;
  required?: boolean;
  label?: string;
  compute?: (rec: Rec, orm: Orm) => unknown;
  default?: (orm: Orm, vals: Record<string, unknown>) => unknown;
}
export interface Method {
  /** Python parameter names after self (positional or keyword) */
  params: string[];
  required?: number;
  /** @api.model: called without ids */
  model?: boolean;
  /** accepts **kwargs (passed to _read_format for search_read / read) */
  varKw?: boolean;
  fn: (orm: Orm, ids: number[], args: Record<string, unknown>, context: Record<string, unknown>) => unknown;
}
export interface Model {
  name: string;
  description: string;
  pyClass: string;
  fields: Record<string, Field>;
  order?: string;
  displayName?: (rec: Rec, orm: Orm) => string;
  methods: Record<string, Method>;
  onCreate?: (orm: Orm, rec: Rec, vals: Record<string, unknown>, context: Record<string, unknown>) => void;
  beforeCreate?: (orm: Orm, vals: Record<string, unknown>) => void;
  onWrite?: (orm: Orm, rec: Rec, vals: Record<string, unknown>, before: Rec) => void;
  checkCreate?: (orm: Orm, rec: Rec) => void;
}

export interface OrmOptions { version: 18 | 19; now: () => Date }

/** The integration user every call runs as. */
export const UID = 2;

/** Odoo drops these from what create and write are given, and sets them itself. */
export const LOG_ACCESS_COLUMNS = ['create_uid', 'create_date', 'write_uid', 'write_date'];

export class Orm {
  readonly models = new Map<string, Model>();
  tables = new Map<string, Map<number, Rec>>();
  seq = new Map<string, number>();
  constructor(readonly options: OrmOptions) {}

  get version(): 18 | 19 { return this.options.version; }

  define(model: Model): void {
    model.fields.id ??= { type: 'int' };
    model.fields.display_name ??= { type: 'char', compute: (r, o) => o.displayName(model.name, r.id) };
    // Odoo's log-access fields, on every model: set by create and write, whatever the caller sends
    model.fields.create_date ??= { type: 'datetime' };
    model.fields.write_date ??= { type: 'datetime' };
    model.fields.create_uid ??= { type: 'm2o', relation: 'res.users' };
    model.fields.write_uid ??= { type: 'm2o', relation: 'res.users' };
    this.models.set(model.name, model);
    this.tables.set(model.name, new Map());
  }

  model(name: string): Model {
    const m = this.models.get(name);
    if (!m) throw new Error(`simulator: no model ${name}`);
    return m;
  }

  table(name: string): Map<number, Rec> {
    return this.tables.get(name)!;
  }

  nextId(model: string): number {
    const n = (this.seq.get(model) ?? 0) + 1;
    this.seq.set(model, n);
    return n;
  }

  /** A document sequence (P00001, WH/IN/00001, BILL/2026/11/0001), apart from record ids. */
  nextSeq(code: string): number {
    return this.nextId(`seq:${code}`);
  }

  /** A record was written (write(), or a method that writes it, or a recompute of its stored fields): its write_date moves. */
  touch(model: string, id: number): void {
    const rec = this.get(model, id);
    if (!rec) return;
    rec.write_date = this.nowString();
    rec.write_uid = UID;
  }

  nowString(offsetDays = 0): string {
    return odooDatetime(new Date(this.options.now().getTime() + offsetDays * 86_400_000));
  }

  get(model: string, id: number): Rec | undefined {
    return this.table(model).get(id);
  }

  mustGet(model: string, id: number): Rec {
    const rec = this.get(model, id);
    if (!rec) {
      throw new OdooException('odoo.exceptions.MissingError', `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`, 404);
    }
    return rec;
  }

  displayName(model: string, id: number): string {
    const m = this.model(model);
    const rec = this.mustGet(model, id);
    return m.displayName ? m.displayName(rec, this) : String(rec.name ?? `${model},${id}`);
  }

  /** The raw value of a field (computed, o2m resolved to ids). */
  value(model: string, rec: Rec, field: string): unknown {
    const f = this.model(model).fields[field];
    if (!f) throw new Error(`simulator: ${model} has no field ${field}`);
    if (field === 'id') return rec.id;
    if (f.compute) return f.compute(rec, this);
    if (f.type === 'o2m') {
      return [...this.table(f.relation!).values()].filter((r) => r[f.inverse!] === rec.id).map((r) => r.id).sort((a, b) => a - b);
    }
    return rec[field];
  }

  /** Odoo's read format of one field. */
  format(model: string, rec: Rec, field: string): unknown {
    const f = this.model(model).fields[field]!;
    const v = this.value(model, rec, field);
    switch (f.type) {
      case 'm2o':
        return typeof v === 'number' && v > 0 ? [v, this.displayName(f.relation!, v)] : false;
      case 'o2m': case 'm2m':
        return Array.isArray(v) ? [...v] : [];
      case 'int': case 'float':
        return typeof v === 'number' ? v : 0;
      case 'bool':
        return v === true;
      case 'json':
        return v ?? false;
      default:
        return v === undefined || v === null || v === '' ? (f.type === 'html' ? '' : false) : v;
    }
  }

  checkFields(model: string, fields: string[]): void {
    const m = this.model(model);
    for (const f of fields) {
      if (!(f in m.fields)) {
        throw valueError(this.version === 18 ? `Invalid field '${f}' on model '${model}'` : `Invalid field '${f}' on '${model}'`);
      }
    }
  }

  readRecords(model: string, ids: number[], fields: string[] | undefined): Rec[] {
    const m = this.model(model);
    const names = fields && fields.length > 0 ? fields : Object.keys(m.fields).filter((f) => f !== 'id');
    this.checkFields(model, names);
    return ids.map((id) => {
      const rec = this.mustGet(model, id);
      const out: Rec = { id };
      for (const f of names) if (f !== 'id') out[f] = this.format(model, rec, f);
      return out;
    });
  }

  search(model: string, domain: unknown, opts: { order?: string; limit?: number; offset?: number } = {}): number[] {
    if (!Array.isArray(domain)) throw valueError(`Invalid domain ${pyRepr(domain)}`);
    const pred = this.compile(model, domain);
    let recs = [...this.table(model).values()].filter(pred);
    recs = this.sort(model, recs, opts.order ?? this.model(model).order ?? 'id');
    const off = opts.offset ?? 0;
    return recs.slice(off, opts.limit ? off + opts.limit : undefined).map((r) => r.id);
  }

  private sort(model: string, recs: Rec[], order: string): Rec[] {
    const keys = order.split(',').map((s) => s.trim().split(/\s+/)).map(([f, dir]) => ({ f: f!, desc: (dir ?? '').toLowerCase() === 'desc' }));
    this.checkFields(model, keys.map((k) => k.f));
    return [...recs].sort((a, b) => {
      for (const { f, desc } of keys) {
        const va = this.value(model, a, f) as never; const vb = this.value(model, b, f) as never;
        if (va === vb) continue;
        const c = va === false || va === undefined || va === null ? 1 : vb === false || vb === undefined || vb === null ? -1 : va < vb ? -1 : 1;
        return desc ? -c : c;
      }
      return 0;
    });
  }

  private compile(model: string, domain: unknown[]): (r: Rec) => boolean {
    let pos = 0;
    const items = domain;
    const parse = (): ((r: Rec) => boolean) => {
      const t = items[pos++];
      if (t === '&' || t === '|') {
        const a = parse(); const b = parse();
        return t === '&' ? (r) => a(r) && b(r) : (r) => a(r) || b(r);
      }
      if (t === '!') { const a = parse(); return (r) => !a(r); }
      return this.leaf(model, t);
    };
    const terms: Array<(r: Rec) => boolean> = [];
    while (pos < items.length) terms.push(parse());
    return (r) => terms.every((p) => p(r));
  }

  private leaf(model: string, leaf: unknown): (r: Rec) => boolean {
    const where = this.version === 18 ? 'leaf' : 'condition';
    if (!Array.isArray(leaf) || leaf.length !== 3 || typeof leaf[0] !== 'string' || typeof leaf[1] !== 'string') {
      throw valueError(this.version === 18 ? `Invalid leaf ${pyRepr(leaf)}` : `Invalid condition ${pyRepr(leaf)}`);
    }
    const [path, op, value] = leaf as [string, string, unknown];
    const OPS = ['=', '!=', '<>', 'in', 'not in', '>', '>=', '<', '<=', 'like', 'ilike', 'not like', 'not ilike', '=like', '=ilike', '=?', 'child_of', 'parent_of', 'any', 'not any'];
    if (!OPS.includes(op)) {
      throw valueError(this.version === 18 ? `Invalid leaf ${pyRepr(tuple(leaf))}` : `Invalid operator in condition ${pyRepr(tuple(leaf))}`);
    }
    const [head, ...rest] = path.split('.');
    const f = this.model(model).fields[head!];
    if (!f) throw valueError(`Invalid field ${model}.${head} in ${where} ${pyRepr(tuple(leaf))}`);
    if (rest.length > 0) {
      if (!f.relation) throw valueError(`Invalid field ${model}.${path} in ${where} ${pyRepr(tuple(leaf))}`);
      const sub = this.leaf(f.relation, [rest.join('.'), op, value]);
      return (r) => {
        const v = this.value(model, r, head!);
        const ids = Array.isArray(v) ? v as number[] : typeof v === 'number' ? [v] : [];
        return ids.some((id) => sub(this.mustGet(f.relation!, id)));
      };
    }
    return (r) => matches(this.value(model, r, head!), f, op, value, (id) => this.displayName(f.relation!, id));
  }
}

function matches(v: unknown, f: Field, op: string, value: unknown, name: (id: number) => string): boolean {
  if (op === '=?') return value === false || value === null || value === undefined ? true : matches(v, f, '=', value, name);
  if (f.type === 'o2m' || f.type === 'm2m') {
    const ids = (v as number[]) ?? [];
    if (op === '=' && value === false) return ids.length === 0;
    if (op === '!=' && value === false) return ids.length > 0;
    const wanted = Array.isArray(value) ? value : [value];
    const any = ids.some((id) => wanted.includes(id));
    if (op === '=' || op === 'in') return any;
    if (op === '!=' || op === 'not in') return !any;
    return false;
  }
  const empty = v === undefined || v === null || v === false || v === '';
  const cmp = typeof value === 'string' && f.type === 'm2o' && typeof v === 'number' ? name(v) : empty ? false : v;
  switch (op) {
    case '=': return value === false ? empty : cmp === value;
    case '!=': case '<>': return value === false ? !empty : cmp !== value;
    case 'in': return Array.isArray(value) && (value.includes(cmp) || (empty && value.includes(false)));
    case 'not in': return Array.isArray(value) && !value.includes(cmp) && !(empty && value.includes(false));
    case '>': return !empty && (cmp as number) > (value as number);
    case '>=': return !empty && (cmp as number) >= (value as number);
    case '<': return !empty && (cmp as number) < (value as number);
    case '<=': return !empty && (cmp as number) <= (value as number);
    case 'like': return !empty && String(cmp).includes(String(value));
    case 'ilike': return !empty && String(cmp).toLowerCase().includes(String(value).toLowerCase());
    case 'not like': return empty || !String(cmp).includes(String(value));
    case 'not ilike': return empty || !String(cmp).toLowerCase().includes(String(value).toLowerCase());
    case '=like': case '=ilike': {
      const re = new RegExp(`^${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, op === '=ilike' ? 'i' : '');
      return !empty && re.test(String(cmp));
    }
    default: throw valueError(`Operator ${op} is not supported by the simulator`);
  }
}

class Tuple { constructor(readonly items: unknown[]) {} }
const tuple = (items: unknown[]) => new Tuple(items);

/** Python's repr() of a JSON value, for Odoo's error messages. */
export function pyRepr(v: unknown): string {
  if (v instanceof Tuple) return `(${v.items.map(pyRepr).join(', ')}${v.items.length === 1 ? ',' : ''})`;
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

export function odooDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function addDays(datetime: string, days: number): string {
  return odooDatetime(new Date(new Date(datetime.replace(' ', 'T') + 'Z').getTime() + days * 86_400_000));
}

/** Odoo's float rounding to the currency (2 decimals), as Python's round() of the shown figures. */
export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}
