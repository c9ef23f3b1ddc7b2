// Replays every recorded Odoo 18/19 request (/work/shared/odoo/transcripts) against the simulator in the
// matching mode and compares the answers, ignoring only the values the transcripts' README calls volatile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOdooSim } from './odoo-sim/server.ts';

const dir = fileURLToPath(new URL('../../shared/odoo/transcripts', import.meta.url));
const RECORDED_AT = new Date('2026-11-23T06:14:44Z');
const VARIANTS = [
  { name: '18-jsonrpc', version: 18 as const, db: 'edi_gw18' },
  { name: '19-jsonrpc', version: 19 as const, db: 'edi_gw19' },
  { name: '19-json2', version: 19 as const, db: 'edi_gw19j2' },
];
const KEY = '<redacted>';
/** models and methods whose record ids are volatile (messages, attachments, external ids) */
const VOLATILE_ID_MODELS = new Set(['mail.message', 'ir.attachment', 'ir.model.data']);
const VOLATILE_DATETIME_KEYS = new Set(['date_order', 'date_approve', 'date_done', 'scheduled_date', 'invoice_date_due', 'date_planned', 'date', 'date_deadline', 'expiration_date']);

interface Step { step: string; request: { method: string; path: string; headers: Record<string, string>; body: any }; response: { status: number; headers: Record<string, string>; body: any } }

function callOf(s: Step): { model: string; method: string } {
  const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(s.request.path);
  if (m) return { model: m[1]!, method: m[2]! };
  const args = s.request.body?.params?.args ?? [];
  return s.request.body?.params?.service === 'object' ? { model: args[3], method: args[4] } : { model: '', method: s.request.body?.params?.method ?? '' };
}

/** Deep comparison; `idMap` learns volatile ids (expected -> actual) where the step's model makes them volatile. */
function compare(expected: unknown, actual: unknown, path: string, ctx: { volatileIds: boolean; idMap: Map<number, number> }, key = ''): string[] {
  if (key === 'debug') return [];
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (expected === actual) return [];
    if (ctx.volatileIds || key === 'res_id' || key === 'view_id') { ctx.idMap.set(expected, actual); return []; }
    const mapped = ctx.idMap.get(expected);
    return mapped === actual ? [] : [`${path}: expected ${expected}, got ${actual}`];
  }
  if (typeof expected === 'string' && typeof actual === 'string') {
    const dt = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
    if (expected === actual || (VOLATILE_DATETIME_KEYS.has(key) && dt.test(expected) && dt.test(actual))) return [];
    if (/^(P|WH\/IN\/|BILL\/\d{4}\/\d\d\/)\d+/.test(expected) && expected.replace(/\d+/g, '#') === actual.replace(/\d+/g, '#')) return [];
    return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    return expected.flatMap((e, i) => compare(e, actual[i], `${path}[${i}]`, ctx, key));
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const e = expected as Record<string, unknown>; const a = actual as Record<string, unknown>;
    // Odoo's window actions carry view ids, help texts and menus the gateway never reads: compare what the simulator models
    const keys = e.type === 'ir.actions.act_window' ? Object.keys(a) : [...new Set([...Object.keys(e), ...Object.keys(a)])];
    return keys.filter((k) => k !== 'debug').flatMap((k) => (k in e && k in a ? compare(e[k], a[k], `${path}.${k}`, ctx, k) : [`${path}.${k}: ${k in e ? 'missing' : 'unexpected'}`]));
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function remapRequest(body: any, isJson2: boolean, idMap: Map<number, number>): any {
  const map = (v: unknown) => (Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? idMap.get(x) ?? x : x)) : v);
  const b = structuredClone(body);
  if (isJson2) {
    if (b.ids) b.ids = map(b.ids);
    if (b.attachment_ids) b.attachment_ids = map(b.attachment_ids);
    return b;
  }
  const args = b.params?.args;
  if (b.params?.service === 'object' && args) {
    if (Array.isArray(args[5]) && Array.isArray(args[5][0]) && args[5][0].every((x: unknown) => typeof x === 'number')) args[5][0] = map(args[5][0]);
    if (args[6]?.attachment_ids) args[6].attachment_ids = map(args[6].attachment_ids);
  }
  return b;
}

for (const variant of VARIANTS) {
  const vdir = `${dir}/${variant.name}`;
  test(`Odoo ${variant.name}: the simulator answers every recorded request as Odoo did`, { skip: !existsSync(vdir) && 'transcripts absent (../shared/odoo)' }, async () => {
    const sim = await startOdooSim({ version: variant.version, db: variant.db, apiKey: KEY, now: () => RECORDED_AT });
    const idMap = new Map<number, number>();
    const failures: string[] = [];
    try {
      for (const file of readdirSync(vdir).filter((f) => f.endsWith('.json')).sort()) {
        const steps = JSON.parse(readFileSync(`${vdir}/${file}`, 'utf8')) as Step[];
        for (const s of steps) {
          const wrongKey = /wrong (password|api key)/i.test(s.step) && !/authenticate \(login/.test(s.step);
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          for (const [k, v] of Object.entries(s.request.headers)) headers[k] = v.replace(KEY, wrongKey ? 'not-the-key' : KEY);
          const isJson2 = s.request.path.startsWith('/json/2/');
          let body = remapRequest(s.request.body, isJson2, idMap);
          if (wrongKey && !isJson2) body = JSON.parse(JSON.stringify(body).replace(`"${KEY}"`, '"not-the-key"'));
          const res = await fetch(sim.url + s.request.path, { method: 'POST', headers, body: JSON.stringify(body) });
          const actual = await res.json();
          const { model } = callOf(s);
          const ctx = { volatileIds: VOLATILE_ID_MODELS.has(model) || /message_post|load/.test(callOf(s).method), idMap };
          const diffs = [
            ...(res.status === s.response.status ? [] : [`status: expected ${s.response.status}, got ${res.status}`]),
            ...(s.response.headers['WWW-Authenticate'] === undefined || res.headers.get('www-authenticate') === s.response.headers['WWW-Authenticate'] ? [] : ['WWW-Authenticate header']),
            ...compare(s.response.body, actual, 'body', ctx),
          ];
          if (diffs.length) failures.push(`${file} "${s.step}":\n    ${diffs.slice(0, 6).join('\n    ')}`);
        }
      }
    } finally {
      await sim.close();
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}
