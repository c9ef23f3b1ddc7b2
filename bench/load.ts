/**
 * The load generator of the HTTP benchmarks: Debian's `wrk` in a second process on 127.0.0.1
 * (PERFORMANCE.md). wrk is written in C and costs the 2-core machine far less CPU per request than a
 * Node load generator, so the server under test gets the cores. A Lua script makes each request
 * different: a path with a random number, or a body with a fresh id.
 *
 * Install it with `apt-get install wrk` (Debian); the benchmarks say so when it is missing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadResult { requests: number; rps: number; p50: number; p99: number; errors: number; non2xx: number }

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** each request's path: `{n}` becomes a random integer from 1 to `count` */
  path?: { template: string; count: number };
  /** each request's body: `{id}` becomes an id unique within the run */
  body?: string;
}

const luaString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;

function script(o: LoadOptions, bodyFile: string | undefined): string {
  const url = new URL(o.url);
  const headers = Object.entries(o.headers ?? {}).map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`).join(', ');
  const [head, tail] = (o.path?.template ?? url.pathname).split('{n}');
  const lines = [
    `local threads = 0`,
    `function setup(thread) threads = threads + 1; thread:set("tid", threads) end`,
    `local headers = { ${headers} }`,
    `local counter = 0`,
    `local body_head, body_tail`,
    `function init(args)`,
    bodyFile ? `  local f = assert(io.open(${luaString(bodyFile)}, "rb")); local b = f:read("*a"); f:close()` : '',
    bodyFile ? `  local s, e = string.find(b, "{id}", 1, true); body_head = string.sub(b, 1, s - 1); body_tail = string.sub(b, e + 1)` : '',
    `  math.randomseed(os.time() + tid)`,
    `end`,
    `function request()`,
    `  counter = counter + 1`,
    o.path ? `  local path = ${luaString(head!)} .. math.random(${o.path.count}) .. ${luaString(tail ?? '')}` : `  local path = ${luaString(head!)}`,
    bodyFile ? `  return wrk.format(${luaString(o.method ?? 'POST')}, path, headers, body_head .. tid .. "." .. counter .. "." .. os.time() .. body_tail)` : `  return wrk.format(${luaString(o.method ?? 'GET')}, path, headers)`,
    `end`,
    // wrk prints its own summary; this line is the machine-readable one
    `function done(summary, latency, requests)`,
    `  local e = summary.errors`,
    `  io.write(string.format("\\nLOADRESULT %d %f %f %f %d %d\\n", summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status))`,
    `end`,
  ];
  return lines.filter((l) => l !== '').join('\n');
}

/** Runs wrk for `seconds` with `connections` connections on two threads; latencies in ms. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wrk-'));
  let bodyFile: string | undefined;
  if (o.body !== undefined) {
    if (!o.body.includes('{id}')) throw new Error('the body template must hold {id}');
    bodyFile = join(dir, 'body');
    writeFileSync(bodyFile, o.body);
  }
  const lua = join(dir, 'load.lua');
  writeFileSync(lua, script(o, bodyFile));
  const origin = new URL(o.url).origin;
  const threads = Math.min(2, o.connections);
  return new Promise((resolve, reject) => {
    execFile('wrk', [`-t${threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '10s', '-s', lua, origin], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('wrk is not installed: apt-get install wrk'));
      const m = /LOADRESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)/.exec(stdout);
      if (err || !m) return reject(new Error(`wrk failed: ${err?.message ?? ''} ${stderr} ${stdout}`));
      resolve({ requests: Number(m[1]), rps: Number(m[2]), p50: Number(m[3]), p99: Number(m[4]), errors: Number(m[5]), non2xx: Number(m[6]) });
    });
  });
}
