/**
 * One client for Odoo's external API, whatever the server version: JSON-2 (`POST /json/2/<model>/<method>`,
 * bearer API key) on Odoo 19 and later, JSON-RPC `object.execute_kw` (after `common.authenticate`) on 16–18.
 * The version is asked once (`/web/webclient/version_info`, falling back to `common.version`).
 * Results are made the same on both: `create` gives an id, `message_post` gives an id, a method that
 * returns None gives `null`. The API key lives in a private field and never reaches an error or a log.
 */
import { GatewayError } from '../errors.ts';
import { odooFaultError, odooTransportError, type OdooFault } from './errors.ts';
import { postJson, PostTimeout } from './http-post.ts';

export interface OdooConfig {
  url: string;
  db: string;
  username: string;
  apiKey: string;
  timeoutMs?: number;
  /** 'auto' (default) picks JSON-2 on Odoo 19+ and JSON-RPC before */
  protocol?: 'auto' | 'jsonrpc' | 'json2';
}

export type OdooValue = unknown;
export type OdooRecord = { id: number } & Record<string, OdooValue>;
/** An Odoo domain: conditions `[field, operator, value]` and the prefix operators '&', '|', '!'. */
export type Domain = Array<string | [string, string, unknown]>;
export interface CallOptions { context?: Record<string, unknown> }
export interface SearchOptions extends CallOptions { order?: string; limit?: number; offset?: number }
export interface ServerVersion { major: number; serie: string; protocol: 'jsonrpc' | 'json2' }

export interface OdooClient {
  serverVersion(): Promise<ServerVersion>;
  search_read(model: string, domain: Domain, fields: string[], options?: SearchOptions): Promise<OdooRecord[]>;
  read(model: string, ids: number[], fields: string[], options?: CallOptions): Promise<OdooRecord[]>;
  create(model: string, vals: Record<string, unknown>, options?: CallOptions): Promise<number>;
  write(model: string, ids: number[], vals: Record<string, unknown>, options?: CallOptions): Promise<boolean>;
  /** Any public method by its named arguments; `ids` for record methods, null for model methods. */
  call(model: string, method: string, ids: number[] | null, kwargs?: Record<string, unknown>): Promise<unknown>;
  /** mail.thread message_post; returns the message id on every version. */
  messagePost(model: string, id: number, kwargs: Record<string, unknown>): Promise<number>;
}

export function createOdooClient(config: OdooConfig): OdooClient {
  return new HttpOdooClient(config);
}

class HttpOdooClient implements OdooClient {
  readonly #apiKey: string;
  readonly #base: string;
  readonly #db: string;
  readonly #username: string;
  readonly #timeoutMs: number;
  readonly #protocol: 'auto' | 'jsonrpc' | 'json2';
  #version?: Promise<ServerVersion>;
  #uid?: Promise<number>;
  #rpcId = 0;

  constructor(config: OdooConfig) {
    if (!config.url || !config.db || !config.apiKey) throw new GatewayError('odoo-config', 'Odoo url, database and API key are required');
    this.#base = config.url.replace(/\/+$/, '');
    this.#db = config.db;
    this.#username = config.username;
    this.#apiKey = config.apiKey;
    this.#timeoutMs = config.timeoutMs ?? 30_000;
    this.#protocol = config.protocol ?? 'auto';
  }

  toJSON(): Record<string, unknown> {
    return { url: this.#base, db: this.#db, username: this.#username };
  }

  serverVersion(): Promise<ServerVersion> {
    this.#version ??= this.#detectVersion().catch((err) => {
      this.#version = undefined;
      throw err;
    });
    return this.#version;
  }

  async search_read(model: string, domain: Domain, fields: string[], options: SearchOptions = {}): Promise<OdooRecord[]> {
    const { context, ...rest } = options;
    return (await this.#invoke(model, 'search_read', null, [domain, fields], { ...rest, ...(context ? { context } : {}) },
      { domain, fields, ...rest, ...(context ? { context } : {}) })) as OdooRecord[];
  }

  async read(model: string, ids: number[], fields: string[], options: CallOptions = {}): Promise<OdooRecord[]> {
    return (await this.#invoke(model, 'read', ids, [ids, fields], ctx(options), { fields, ...ctx(options) })) as OdooRecord[];
  }

  async create(model: string, vals: Record<string, unknown>, options: CallOptions = {}): Promise<number> {
    const result = await this.#invoke(model, 'create', null, [vals], ctx(options), { vals_list: [vals], ...ctx(options) });
    return firstId(result, model, 'create');
  }

  async write(model: string, ids: number[], vals: Record<string, unknown>, options: CallOptions = {}): Promise<boolean> {
    return (await this.#invoke(model, 'write', ids, [ids, vals], ctx(options), { vals, ...ctx(options) })) === true;
  }

  async call(model: string, method: string, ids: number[] | null, kwargs: Record<string, unknown> = {}): Promise<unknown> {
    const result = await this.#invoke(model, method, ids, ids ? [ids] : [], kwargs, kwargs);
    return result === undefined ? null : result;
  }

  async messagePost(model: string, id: number, kwargs: Record<string, unknown>): Promise<number> {
    return firstId(await this.call(model, 'message_post', [id], kwargs), model, 'message_post');
  }

  async #invoke(model: string, method: string, ids: number[] | null, args: unknown[], kwargs: Record<string, unknown>,
    named: Record<string, unknown>): Promise<unknown> {
    const version = await this.serverVersion();
    if (version.protocol === 'json2') {
      return this.#json2(model, method, ids ? { ids, ...named } : named);
    }
    const uid = await this.#authenticate();
    return this.#jsonrpc('object', 'execute_kw', [this.#db, uid, this.#apiKey, model, method, args, kwargs], { model, method });
  }

  #authenticate(): Promise<number> {
    this.#uid ??= (async () => {
      const uid = await this.#jsonrpc('common', 'authenticate', [this.#db, this.#username, this.#apiKey, {}], { method: 'common.authenticate' });
      if (typeof uid !== 'number' || uid <= 0) {
        throw new GatewayError('odoo-auth', `Odoo refused the login of ${JSON.stringify(this.#username)} on database ${JSON.stringify(this.#db)}`, { status: 502 });
      }
      return uid;
    })().catch((err) => {
      this.#uid = undefined;
      throw err;
    });
    return this.#uid;
  }

  async #detectVersion(): Promise<ServerVersion> {
    let info: unknown;
    try {
      info = await this.#jsonrpcAt('/web/webclient/version_info', {}, { method: 'version_info' });
    } catch (err) {
      if (!(err instanceof GatewayError) || err.retryable) throw err;
      info = await this.#jsonrpc('common', 'version', [], { method: 'common.version' });
    }
    const vi = (info as { server_version_info?: unknown[]; server_serie?: string } | null) ?? {};
    const major = Number(String(vi.server_version_info?.[0] ?? vi.server_serie ?? '').replace(/^saas~/, '').split('.')[0]);
    if (!Number.isInteger(major) || major <= 0) throw new GatewayError('odoo-bad-response', 'Odoo did not say its version', { status: 502 });
    const protocol = this.#protocol === 'auto' ? (major >= 19 ? 'json2' : 'jsonrpc') : this.#protocol;
    return { major, serie: String(vi.server_serie ?? major), protocol };
  }

  #jsonrpc(service: string, method: string, args: unknown[], call: { model?: string; method: string }): Promise<unknown> {
    return this.#jsonrpcAt('/jsonrpc', { service, method, args }, call);
  }

  async #jsonrpcAt(path: string, params: Record<string, unknown>, call: { model?: string; method: string }): Promise<unknown> {
    const id = ++this.#rpcId;
    const { status, body } = await this.#post(path, { 'Content-Type': 'application/json' }, { jsonrpc: '2.0', method: 'call', params, id }, call);
    const msg = body as { result?: unknown; error?: { code?: number; message?: string; data?: { name?: string; message?: string } } } | undefined;
    if (status !== 200 || typeof msg !== 'object' || msg === null) {
      throw odooFaultError({ name: `http.${status}`, message: `unexpected answer (HTTP ${status})`, status }, call);
    }
    if (msg.error) {
      const data = msg.error.data ?? {};
      throw odooFaultError({ name: data.name ?? 'unknown', message: data.message ?? msg.error.message ?? 'Odoo Server Error', status: 200 }, call);
    }
    return msg.result === undefined ? null : msg.result;
  }

  async #json2(model: string, method: string, body: Record<string, unknown>): Promise<unknown> {
    const call = { model, method };
    const { status, body: answer } = await this.#post(`/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, {
      'Content-Type': 'application/json', Authorization: `bearer ${this.#apiKey}`, 'X-Odoo-Database': this.#db,
    }, body, call);
    if (status === 200) return answer;
    const fault = (answer ?? {}) as { name?: string; message?: string };
    throw odooFaultError({ name: fault.name ?? `http.${status}`, message: fault.message ?? `HTTP ${status}`, status }, call);
  }

  async #post(path: string, headers: Record<string, string>, payload: unknown, call: { model?: string; method: string }): Promise<{ status: number; body: unknown }> {
    let answer: { status: number; text: string };
    try {
      answer = await postJson(new URL(this.#base + path), headers, JSON.stringify(payload), this.#timeoutMs);
    } catch (err) {
      throw odooTransportError(err, call, err instanceof PostTimeout);
    }
    const { status, text } = answer;
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      if ([502, 503, 504].includes(status)) body = undefined;
      else throw odooFaultError({ name: `http.${status}`, message: 'answer is not JSON', status }, call);
    }
    return { status, body };
  }
}

function ctx(options: CallOptions): Record<string, unknown> {
  return options.context ? { context: options.context } : {};
}

function firstId(result: unknown, model: string, method: string): number {
  const id = Array.isArray(result) ? result[0] : result;
  if (typeof id !== 'number') throw new GatewayError('odoo-bad-response', `Odoo ${model}.${method} returned no id`, { status: 502 });
  return id;
}
