/**
 * Every setting of the gateway, read from the environment in this one module and checked at start.
 * Secrets are never values in files under partners/: only references (an env var name or a file path).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GatewayError } from './errors.ts';
import type { OurIdentity } from '../translators/profile.ts';

export interface Config {
  port: number;
  host: string;
  /** undefined: start an embedded PostgreSQL under dataDir */
  databaseUrl?: string;
  dataDir: string;
  partnersDir: string;
  logLevel: string;
  ours: OurIdentity;
  /** pg-boss schema */
  bossSchema: string;
  /** seconds a stopping gateway waits for in-flight jobs and requests */
  shutdownTimeoutSeconds: number;
  /** largest accepted request body in bytes */
  maxBodyBytes: number;
  /** pg-boss polling interval for workers, in seconds (a worker is also woken at once after a send in this process) */
  pollingIntervalSeconds: number;
  /** odoo.apply jobs run at once in this process (documents of one purchase order still one at a time) */
  odooApplyConcurrency: number;
  odoo?: { url: string; db: string; username: string; apiKey: string; timeoutMs: number };
  /** token the Odoo automation rule sends to POST /odoo/webhook */
  odooWebhookToken?: string;
}

/** The settings, with their descriptions: the README's configuration table is this list. */
export const SETTINGS: ReadonlyArray<{ name: string; default: string; description: string }> = [
  { name: 'PORT', default: '8080', description: 'HTTP port of the API, /cxml and the health endpoints.' },
  { name: 'HOST', default: '0.0.0.0', description: 'Address the HTTP server binds to.' },
  { name: 'DATABASE_URL', default: '(unset)', description: 'PostgreSQL connection URL. Unset: an embedded PostgreSQL is started with its data under DATA_DIR/pg.' },
  { name: 'DATA_DIR', default: '.data', description: 'Where the embedded PostgreSQL keeps its data.' },
  { name: 'PARTNERS_DIR', default: 'partners', description: 'Folder of the partner profiles (*.yaml, *.yml, *.json).' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level: trace, debug, info, warn, error, fatal.' },
  { name: 'OUR_ISA_QUALIFIER', default: 'ZZ', description: 'Our ISA id qualifier in what we send.' },
  { name: 'OUR_ISA_ID', default: 'EDIGATEWAY', description: 'Our ISA sender id (up to 15 characters).' },
  { name: 'OUR_GS_ID', default: 'EDIGATEWAY', description: 'Our GS application sender code.' },
  { name: 'OUR_CXML_DOMAIN', default: 'NetworkID', description: 'Our cXML credential domain.' },
  { name: 'OUR_CXML_IDENTITY', default: 'EDIGATEWAY', description: 'Our cXML credential identity.' },
  { name: 'BOSS_SCHEMA', default: 'pgboss', description: 'Postgres schema of the pg-boss job queue.' },
  { name: 'SHUTDOWN_TIMEOUT_SECONDS', default: '30', description: 'How long SIGTERM waits for in-flight jobs and requests before they fail back for retry.' },
  { name: 'MAX_BODY_BYTES', default: '10485760', description: 'Largest accepted HTTP request body (413 beyond).' },
  { name: 'POLLING_INTERVAL_SECONDS', default: '2', description: 'How often idle job workers look for work (jobs queued by this process wake them at once).' },
  { name: 'ODOO_URL', default: '(unset)', description: 'Base URL of Odoo. Unset: nothing is applied to Odoo and Odoo jobs wait.' },
  { name: 'ODOO_DB', default: '', description: 'Odoo database name.' },
  { name: 'ODOO_USERNAME', default: '', description: 'Odoo login of the integration user (JSON-RPC on Odoo 16-18).' },
  { name: 'ODOO_API_KEY', default: '', description: 'API key of the integration user. Prefer ODOO_API_KEY_FILE.' },
  { name: 'ODOO_API_KEY_FILE', default: '', description: 'File holding the Odoo API key.' },
  { name: 'ODOO_TIMEOUT_MS', default: '30000', description: 'Timeout of one Odoo call.' },
  { name: 'ODOO_APPLY_CONCURRENCY', default: '4', description: 'Documents applied to Odoo at once by this process (1-8); those of one purchase order still go one at a time.' },
  { name: 'ODOO_WEBHOOK_TOKEN', default: '', description: 'Token the Odoo automation rule must send to POST /odoo/webhook. Prefer ODOO_WEBHOOK_TOKEN_FILE.' },
  { name: 'ODOO_WEBHOOK_TOKEN_FILE', default: '', description: 'File holding the webhook token.' },
];

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GatewayError('config-invalid', `setting ${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A secret by reference: the value of an environment variable, or the trimmed content of a file. */
export function resolveSecret(ref: { env?: string; file?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (ref.env) {
    const v = env[ref.env];
    if (v !== undefined && v !== '') return v;
  }
  if (ref.file) {
    try {
      const v = readFileSync(ref.file, 'utf8').trim();
      if (v !== '') return v;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new GatewayError('config-invalid', 'setting DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const isaId = env.OUR_ISA_ID ?? 'EDIGATEWAY';
  if (isaId.length < 1 || isaId.length > 15) throw new GatewayError('config-invalid', 'setting OUR_ISA_ID must have 1 to 15 characters');
  const isaQualifier = env.OUR_ISA_QUALIFIER ?? 'ZZ';
  if (!/^[A-Z0-9]{2}$/.test(isaQualifier)) throw new GatewayError('config-invalid', 'setting OUR_ISA_QUALIFIER must be two letters or digits');
  let odoo: Config['odoo'];
  if (env.ODOO_URL) {
    try {
      new URL(env.ODOO_URL);
    } catch {
      throw new GatewayError('config-invalid', `setting ODOO_URL=${JSON.stringify(env.ODOO_URL)} is not a URL`);
    }
    const apiKey = resolveSecret({ env: 'ODOO_API_KEY', file: env.ODOO_API_KEY_FILE }, env);
    if (!apiKey) throw new GatewayError('config-invalid', 'ODOO_URL is set but neither ODOO_API_KEY nor a readable ODOO_API_KEY_FILE gives the API key');
    if (!env.ODOO_DB) throw new GatewayError('config-invalid', 'ODOO_URL is set but ODOO_DB is not');
    odoo = { url: env.ODOO_URL, db: env.ODOO_DB, username: env.ODOO_USERNAME ?? '', apiKey, timeoutMs: intSetting(env, 'ODOO_TIMEOUT_MS', 30000, 100, 600000) };
  }
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  return {
    port: intSetting(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    partnersDir: resolve(env.PARTNERS_DIR ?? 'partners'),
    logLevel: env.LOG_LEVEL ?? 'info',
    ours: {
      isaQualifier,
      isaId,
      gsId: env.OUR_GS_ID ?? isaId,
      cxml: { domain: env.OUR_CXML_DOMAIN ?? 'NetworkID', identity: env.OUR_CXML_IDENTITY ?? 'EDIGATEWAY' },
    },
    bossSchema: env.BOSS_SCHEMA ?? 'pgboss',
    shutdownTimeoutSeconds: intSetting(env, 'SHUTDOWN_TIMEOUT_SECONDS', 30, 1, 3600),
    maxBodyBytes: intSetting(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    pollingIntervalSeconds: intSetting(env, 'POLLING_INTERVAL_SECONDS', 2, 1, 60),
    odooApplyConcurrency: intSetting(env, 'ODOO_APPLY_CONCURRENCY', 4, 1, 8),
    odoo,
    odooWebhookToken: resolveSecret({ env: 'ODOO_WEBHOOK_TOKEN', file: env.ODOO_WEBHOOK_TOKEN_FILE }, env),
  };
}
