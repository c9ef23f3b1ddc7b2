/**
 * A loopback TCP proxy for transfer-fault tests: sits between a client and a server and can cut
 * every live connection, stall them (bytes held, nothing forwarded), slow them (bytes delayed), or
 * refuse new connections.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'stall' | 'slow' | 'refuse';

export interface FaultProxy {
  port: number;
  /** Connections accepted since start. */
  readonly accepted: number;
  setMode(mode: ProxyMode, options?: { delayMs?: number }): void;
  /** Destroys every live connection on both sides (a reset mid-transfer). */
  cut(): void;
  /** Calls `fn` once `bytes` more have flowed server → client from now, e.g. to cut mid-transfer. */
  onServerBytes(bytes: number, fn: () => void): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 50;
  let accepted = 0;
  let serverBytes = 0;
  const triggers: Array<{ at: number; fn: () => void }> = [];
  const pairs = new Set<[Socket, Socket]>();

  const forward = (from: Socket, to: Socket, countServer: boolean): void => {
    from.on('data', (chunk: Buffer) => {
      if (countServer) {
        serverBytes += chunk.length;
        for (const t of triggers.splice(0)) {
          if (serverBytes >= t.at) t.fn();
          else triggers.push(t);
        }
      }
      if (mode === 'stall') {
        from.pause();
        const resume = setInterval(() => {
          if (mode === 'stall') return;
          clearInterval(resume);
          to.write(chunk);
          from.resume();
        }, 20);
        from.once('close', () => clearInterval(resume));
        return;
      }
      if (mode === 'slow') {
        from.pause();
        setTimeout(() => { if (!to.destroyed) to.write(chunk); from.resume(); }, delayMs);
        return;
      }
      if (!to.destroyed) to.write(chunk);
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  };

  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => { pairs.delete(pair); };
    client.on('close', drop);
    upstream.on('close', drop);
    forward(client, upstream, false);
    forward(upstream, client, true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const cut = (): void => {
    for (const [a, b] of pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    pairs.clear();
  };
  return {
    port,
    get accepted() { return accepted; },
    setMode(m, options) { mode = m; if (options?.delayMs !== undefined) delayMs = options.delayMs; },
    cut,
    onServerBytes(bytes, fn) { triggers.push({ at: serverBytes + bytes, fn }); },
    close: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
