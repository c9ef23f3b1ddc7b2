/**
 * The Odoo simulator's HTTP side: `/web/webclient/version_info`, JSON-RPC `/jsonrpc` (common + object.execute_kw)
 * and, in 19 mode, JSON-2 `/json/2/<model>/<method>` with bearer keys; answers and errors shaped as Odoo's.
 * Each call runs in its own transaction (rolled back on error). Fault injection: unreachable, response lost
 * after commit, delay, HTTP 503.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { defineModels } from './models.ts';
import { seedBase } from './seed.ts';
import { OdooException, Orm, type Field, type Method } from './orm.ts';

export interface SimOptions {
  version: 18 | 19;
  db?: string;
  login?: string;
  apiKey?: string;
  now?: () => Date;
  /** extra fields per model, e.g. a custom x_ field the buyer added with Studio */
  customFields?: Record<string, Record<string, Field>>;
}

/** which calls a fault hits: by model and method; `skip` lets that many matching calls through first */
interface CallMatch { model?: string; method?: string; skip?: number }
interface Fault { kind: 'drop-after-commit' | 'delay' | 'http-status'; match: CallMatch; remaining: number; ms?: number; status?: number }

export interface OdooSim {
  url: string;
  orm: Orm;
  version: 18 | 19;
  /** every model call received: model, method, protocol */
  calls: Array<{ model: string; method: string; protocol: 'jsonrpc' | 'json2' }>;
  /** refuse (reset) every connection until `reachable()` */
  unreachable(): void;
  reachable(): void;
  /** run the next matching call, commit, then drop the connection without answering */
  dropResponseAfterCommit(match?: CallMatch, times?: number): void;
  /** wait `ms` before answering the next matching call (the call is applied) */
  delay(ms: number, match?: CallMatch, times?: number): void;
  /** answer the next matching calls with this HTTP status without running them */
  failWithStatus(status: number, match?: CallMatch, times?: number): void;
  close(): Promise<void>;
}

export async function startOdooSim(options: SimOptions): Promise<OdooSim> {
  const db = options.db ?? 'edi_sim';
  const login = options.login ?? 'admin';
  const apiKey = options.apiKey ?? 'sim-api-key';
  const orm = new Orm({ version: options.version, now: options.now ?? (() => new Date()) });
  defineModels(orm, { customFields: options.customFields });
  seedBase(orm);
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const calls: OdooSim['calls'] = [];
  let down = false;

  const takeFault = (kind: Fault['kind'], model: string, method: string): Fault | undefined => {
    const f = faults.find((x) => x.kind === kind && x.remaining > 0 && (!x.match.model || x.match.model === model) && (!x.match.method || x.match.method === method));
    if (!f) return undefined;
    if (f.match.skip) { f.match = { ...f.match, skip: f.match.skip - 1 }; return undefined; }
    f.remaining--;
    return f;
  };

  const runCall = (model: string, method: string, protocol: 'jsonrpc' | 'json2', run: () => unknown): unknown => {
    const snapshot = structuredClone(orm.tables);
    const seq = new Map(orm.seq);
    try {
      return run();
    } catch (err) {
      orm.tables = snapshot;
      orm.seq = seq;
      throw err;
    } finally {
      calls.push({ model, method, protocol });
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (url.pathname === '/web/webclient/version_info') {
      const rpc = body as { id?: unknown };
      send(200, { jsonrpc: '2.0', id: rpc?.id ?? null, result: versionInfo(options.version) }, { 'Set-Cookie': `session_id=sim${Date.now()}; HttpOnly; Path=/` });
      return;
    }
    if (url.pathname === '/jsonrpc') {
      const rpc = body as { id?: unknown; params?: { service?: string; method?: string; args?: unknown[] } };
      const params = rpc?.params ?? {};
      const args = params.args ?? [];
      const model = params.service === 'object' ? String(args[3]) : `common`;
      const method = params.service === 'object' ? String(args[4]) : String(params.method);
      if (await applyFaults(model, method, res)) return;
      let result: unknown;
      try {
        result = runCall(model, method, 'jsonrpc', () => jsonrpc(params.service, params.method, args));
      } catch (err) {
        const fault = toFault(err);
        const data = options.version === 18
          ? { name: fault.pyName, debug: 'Traceback (most recent call last): (simulator)', message: fault.message, arguments: [fault.message, ...fault.extraArgs], context: {} }
          : { name: fault.pyName, message: fault.message, arguments: [fault.message, ...fault.extraArgs], context: {}, debug: 'Traceback (most recent call last): (simulator)' };
        if (dropIfAsked(model, method, res)) return;
        send(200, { jsonrpc: '2.0', id: rpc.id ?? null, error: { code: options.version === 18 ? 200 : 0, message: 'Odoo Server Error', data } });
        return;
      }
      if (dropIfAsked(model, method, res)) return;
      send(200, result === undefined ? { jsonrpc: '2.0', id: rpc.id ?? null } : { jsonrpc: '2.0', id: rpc.id ?? null, result });
      return;
    }
    const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (m && options.version >= 19) {
      const model = decodeURIComponent(m[1]!);
      const method = decodeURIComponent(m[2]!);
      const fail = (e: OdooException, headers: Record<string, string> = {}) =>
        send(e.json2Status, { name: e.pyName, message: e.message, arguments: [e.message, ...e.extraArgs], context: {}, debug: 'Traceback (most recent call last): (simulator)' }, headers);
      const auth = req.headers.authorization;
      if (!auth || !/^bearer /i.test(auth)) {
        fail(new OdooException('werkzeug.exceptions.Unauthorized', 'User not authenticated, use an API Key with a Bearer Authorization header.', 401, [401]), { 'WWW-Authenticate': 'Bearer ' });
        return;
      }
      if (auth.slice(7) !== apiKey) {
        fail(new OdooException('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401, [401]), { 'WWW-Authenticate': 'Bearer ' });
        return;
      }
      if (await applyFaults(model, method, res)) return;
      let result: unknown;
      try {
        result = runCall(model, method, 'json2', () => json2(model, method, (body ?? {}) as Record<string, unknown>));
      } catch (err) {
        if (dropIfAsked(model, method, res)) return;
        fail(toFault(err));
        return;
      }
      if (dropIfAsked(model, method, res)) return;
      send(200, result === undefined ? null : result);
      return;
    }
    send(404, { name: 'werkzeug.exceptions.NotFound', message: 'Not Found' });
  }

  async function applyFaults(model: string, method: string, res: ServerResponse): Promise<boolean> {
    const delay = takeFault('delay', model, method);
    if (delay) await new Promise((r) => setTimeout(r, delay.ms));
    const status = takeFault('http-status', model, method);
    if (status) {
      res.writeHead(status.status!, { 'Content-Type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return true;
    }
    return false;
  }

  function dropIfAsked(model: string, method: string, res: ServerResponse): boolean {
    if (!takeFault('drop-after-commit', model, method)) return false;
    res.socket?.destroy();
    return true;
  }

  function jsonrpc(service: unknown, method: unknown, args: unknown[]): unknown {
    if (service === 'common') {
      if (method === 'version') return versionInfo(options.version);
      if (method === 'authenticate' || method === 'login') return args[0] === db && args[1] === login && args[2] === apiKey ? 2 : false;
      throw new OdooException('builtins.AttributeError', `'common' service has no method ${String(method)}`, 500);
    }
    if (service !== 'object' || method !== 'execute_kw') throw new OdooException('builtins.Exception', `bad service ${String(service)}.${String(method)}`, 500);
    const [dbName, uid, key, model, fn, posArgs = [], kwargs = {}] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (dbName !== db || uid !== 2 || key !== apiKey) throw new OdooException('odoo.exceptions.AccessDenied', 'Access Denied', 403);
    if (!orm.models.has(model)) throw new OdooException('odoo.exceptions.UserError', `Object ${model} doesn't exist`, 422);
    const def = lookupMethod(model, fn, 'jsonrpc');
    const { context = {}, ...kw } = kwargs as Record<string, unknown> & { context?: Record<string, unknown> };
    const pos = [...(posArgs as unknown[])];
    const ids = def.model ? [] : toIds(pos.shift());
    const bound = bindPython(orm.model(model).pyClass, fn, def, pos, kw);
    return def.fn(orm, ids, bound, context);
  }

  function json2(model: string, method: string, body: Record<string, unknown>): unknown {
    if (!orm.models.has(model)) throw new OdooException('werkzeug.exceptions.NotFound', `the model '${model}' does not exist`, 404, [404]);
    const def = lookupMethod(model, method, 'json2');
    const { ids, context = {}, ...named } = body as { ids?: unknown; context?: Record<string, unknown> } & Record<string, unknown>;
    if (def.model && ids !== undefined) throw new OdooException('werkzeug.exceptions.UnprocessableEntity', `cannot call ${model}.${method} with ids`, 422, [422]);
    const required = def.params.slice(0, def.required ?? 0);
    for (const p of required) {
      if (!(p in named)) throw new OdooException('werkzeug.exceptions.UnprocessableEntity', `missing a required argument: '${p}'`, 422, [422]);
    }
    const bound = bindPython(orm.model(model).pyClass, method, def, [], named);
    return def.fn(orm, def.model ? [] : toIds(ids ?? []), bound, context);
  }

  function lookupMethod(model: string, method: string, protocol: 'jsonrpc' | 'json2'): Method {
    if (method.startsWith('_')) {
      throw new OdooException('odoo.exceptions.AccessError', `Private methods (such as '${model}.${method}') cannot be called remotely.`, 403);
    }
    const def = orm.model(model).methods[method];
    if (!def) {
      const msg = `The method '${model}.${method}' does not exist`;
      throw protocol === 'json2' ? new OdooException('werkzeug.exceptions.NotFound', msg, 404, [404]) : new OdooException('builtins.AttributeError', msg, 500);
    }
    return def;
  }

  const server: Server = createServer((req, res) => {
    if (down) { req.socket.destroy(); return; }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        res.writeHead(400).end();
        return;
      }
      handle(req, res, body).catch((err) => { res.writeHead(500).end(String(err)); });
    });
  });
  server.on('connection', (s) => {
    if (down) { s.destroy(); return; }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    orm,
    version: options.version,
    calls,
    unreachable() { down = true; for (const s of sockets) s.destroy(); },
    reachable() { down = false; },
    dropResponseAfterCommit(match = {}, times = 1) { faults.push({ kind: 'drop-after-commit', match, remaining: times }); },
    delay(ms, match = {}, times = 1) { faults.push({ kind: 'delay', match, remaining: times, ms }); },
    failWithStatus(status, match = {}, times = 1) { faults.push({ kind: 'http-status', match, remaining: times, status }); },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function versionInfo(version: 18 | 19) {
  return { server_version: `${version}.0`, server_version_info: [version, 0, 0, 'final', 0, ''], server_serie: `${version}.0`, protocol_version: 1 };
}

function toIds(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  throw new OdooException('builtins.TypeError', `ids must be a list of integers, not ${JSON.stringify(v)}`, 500);
}

/** Python's argument binding: positional then keyword, with Python's TypeError messages. */
function bindPython(pyClass: string, method: string, def: Method, pos: unknown[], kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  def.params.forEach((p, i) => { if (i < pos.length) out[p] = pos[i]; });
  if (pos.length > def.params.length) {
    throw new OdooException('builtins.TypeError', `${pyClass}.${method}() takes ${def.params.length + 1} positional arguments but ${pos.length + 1} were given`, 500);
  }
  for (const [k, v] of Object.entries(kw)) {
    if (!def.params.includes(k)) {
      const owner = def.varKw ? 'BaseModel._read_format()' : `${pyClass}.${method}()`;
      throw new OdooException('builtins.TypeError', `${owner} got an unexpected keyword argument '${k}'`, 500);
    }
    out[k] = v;
  }
  const missing = def.params.slice(0, def.required ?? 0).filter((p) => !(p in out));
  if (missing.length > 0) {
    throw new OdooException('builtins.TypeError', `${pyClass}.${method}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((p) => `'${p}'`).join(' and ')}`, 500);
  }
  return out;
}

function toFault(err: unknown): OdooException {
  if (err instanceof OdooException) return err;
  return new OdooException('builtins.Exception', `simulator bug: ${(err as Error)?.stack ?? String(err)}`, 500);
}
