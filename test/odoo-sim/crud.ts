/** Generic create / write / unlink of the simulator, with Odoo's x2many commands and required-field errors. */
import { LOG_ACCESS_COLUMNS, Orm, UID, validationError, type Rec } from './orm.ts';

export function createRecord(orm: Orm, model: string, input: Record<string, unknown>, context: Record<string, unknown> = {}): number {
  const m = orm.model(model);
  const vals: Record<string, unknown> = { ...input };
  orm.checkFields(model, Object.keys(vals));
  for (const f of LOG_ACCESS_COLUMNS) delete vals[f];
  m.beforeCreate?.(orm, vals);
  for (const [name, f] of Object.entries(m.fields)) {
    if (!(name in vals) && f.default) vals[name] = f.default(orm, vals);
  }
  for (const [name, f] of Object.entries(m.fields)) {
    if (f.required && (vals[name] === undefined || vals[name] === false || vals[name] === null || vals[name] === '')) {
      throw requiredError(orm, m.description, model, f.label ?? name, name);
    }
  }
  const id = orm.nextId(model);
  const now = orm.nowString();
  const rec: Rec = { id, create_date: now, write_date: now, create_uid: UID, write_uid: UID };
  const x2many: Array<[string, unknown]> = [];
  for (const [name, v] of Object.entries(vals)) {
    const f = m.fields[name]!;
    if (f.compute) continue;
    if (f.type === 'o2m' || f.type === 'm2m') x2many.push([name, v]);
    else rec[name] = normalize(f.type, v);
  }
  for (const [name, f] of Object.entries(m.fields)) if (f.type === 'm2m' && !f.compute && rec[name] === undefined) rec[name] = [];
  orm.table(model).set(id, rec);
  for (const [name, v] of x2many) applyCommands(orm, model, rec, name, v);
  m.checkCreate?.(orm, rec);
  m.onCreate?.(orm, rec, vals, context);
  return id;
}

export function writeRecords(orm: Orm, model: string, ids: number[], input: Record<string, unknown>): true {
  const m = orm.model(model);
  orm.checkFields(model, Object.keys(input));
  const vals = Object.fromEntries(Object.entries(input).filter(([f]) => !LOG_ACCESS_COLUMNS.includes(f)));
  for (const id of ids) {
    const rec = orm.mustGet(model, id);
    const before = { ...rec };
    orm.touch(model, id);
    for (const [name, v] of Object.entries(vals)) {
      const f = m.fields[name]!;
      if (f.compute) continue;
      if (f.type === 'o2m' || f.type === 'm2m') applyCommands(orm, model, rec, name, v);
      else rec[name] = normalize(f.type, v);
    }
    m.onWrite?.(orm, rec, vals, before);
  }
  return true;
}

export function unlinkRecords(orm: Orm, model: string, ids: number[]): true {
  for (const id of ids) orm.mustGet(model, id);
  for (const id of ids) orm.table(model).delete(id);
  return true;
}

function normalize(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return false;
  if (type === 'm2o' && Array.isArray(v)) return v[0];
  if ((type === 'float' || type === 'int') && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (type === 'date' && typeof v === 'string') return v.slice(0, 10);
  return v;
}

/** (0,0,vals) create, (1,id,vals) update, (2,id) delete, (3,id) unlink, (4,id) link, (5,0,0) unlink all, (6,0,ids) replace. */
function applyCommands(orm: Orm, model: string, rec: Rec, name: string, commands: unknown): void {
  const f = orm.model(model).fields[name]!;
  if (!Array.isArray(commands)) throw validationError(`Wrong value for ${model}.${name}: ${JSON.stringify(commands)}`);
  for (const cmd of commands) {
    if (typeof cmd === 'number' && f.type === 'm2m') { (rec[name] as number[]).push(cmd); continue; }
    const [op, id, vals] = cmd as [number, number, unknown];
    if (f.type === 'm2m') {
      const cur = (rec[name] as number[]) ?? [];
      if (op === 6) rec[name] = [...(vals as number[])];
      else if (op === 4) rec[name] = cur.includes(id) ? cur : [...cur, id];
      else if (op === 3 || op === 2) rec[name] = cur.filter((x) => x !== id);
      else if (op === 5) rec[name] = [];
      else if (op === 0) rec[name] = [...cur, createRecord(orm, f.relation!, vals as Record<string, unknown>)];
      continue;
    }
    const inv = f.inverse!;
    const children = () => [...orm.table(f.relation!).values()].filter((r) => r[inv] === rec.id);
    switch (op) {
      case 0: createRecord(orm, f.relation!, { ...(vals as Record<string, unknown>), [inv]: rec.id }); break;
      case 1: writeRecords(orm, f.relation!, [id], vals as Record<string, unknown>); break;
      case 2: unlinkRecords(orm, f.relation!, [id]); break;
      case 3: orm.mustGet(f.relation!, id)[inv] = false; break;
      case 4: orm.mustGet(f.relation!, id)[inv] = rec.id; break;
      case 5: for (const c of children()) c[inv] = false; break;
      case 6:
        for (const c of children()) c[inv] = false;
        for (const x of vals as number[]) orm.mustGet(f.relation!, x)[inv] = rec.id;
        break;
      default: throw validationError(`Unknown command ${op} for ${model}.${name}`);
    }
  }
}

function requiredError(orm: Orm, description: string, model: string, label: string, field: string) {
  if (orm.version === 18) {
    return validationError('The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n'
      + `Model: ${description} (${model})\nField: ${label} (${field})\n`);
  }
  return validationError(`The operation cannot be completed: Missing required value for the field '${label}' (${field}).\nModel: '${description}' (${model})\n`
    + '- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n');
}
