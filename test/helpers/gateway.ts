/**
 * Builds and starts the real gateway for a test: its own database, HTTP on a free port, the given
 * partners folder and handlers. Returns the base URL and a stop function.
 */
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { startGateway, type Component, type GatewayOptions, type RunningGateway } from '../../src/gateway.ts';
import { defaultHandlers } from '../../src/pipeline/handlers.ts';
import type { Handlers } from '../../src/pipeline/workers.ts';
import { stopBeforeDrop, testDatabase } from './db.ts';

export interface TestGateway extends RunningGateway {
  baseUrl: string;
  config: Config;
  /** every log line written so far, parsed */
  logs: Array<Record<string, unknown>>;
}

/** A logger writing into an array, so tests can read what was logged. */
export function memoryLogger(): { log: Logger; lines: Array<Record<string, unknown>>; text: () => string } {
  const lines: Array<Record<string, unknown>> = [];
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const s = chunk.toString();
      chunks.push(s);
      for (const line of s.split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { log: createLogger({ level: 'debug', destination: sink }), lines, text: () => chunks.join('') };
}

export async function startTestGateway(options: {
  label: string;
  env?: Record<string, string>;
  handlers?: Handlers;
  components?: Component[];
  databaseUrl?: string;
  policies?: GatewayOptions['policies'];
}): Promise<TestGateway> {
  const databaseUrl = options.databaseUrl ?? (await testDatabase(options.label));
  const config = loadConfig({ PARTNERS_DIR: 'partners', PORT: '0', HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_SECONDS: '5', POLLING_INTERVAL_SECONDS: '1', ...options.env, DATABASE_URL: databaseUrl });
  const { log, lines } = memoryLogger();
  const gateway = await startGateway({ config, log, handlers: options.handlers ?? defaultHandlers(), components: options.components, policies: options.policies });
  // stopped after the file's tests, before its database is dropped (an `after` registered here, inside a
  // `before` hook, would run as soon as that hook ends)
  stopBeforeDrop(() => gateway.stop());
  const addr = gateway.server!.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { ...gateway, baseUrl: `http://127.0.0.1:${port}`, config, logs: lines };
}

/** Polls until fn returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
