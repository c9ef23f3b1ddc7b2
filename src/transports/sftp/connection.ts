/**
 * SFTP connections to partners: the server's host key pinned by its SHA-256 fingerprint (an unknown
 * key is refused), our own connect retry with exponential backoff and full jitter (ssh2-sftp-client
 * 12 has none), one reused connection per partner with keepalive, listeners for error/end/close so a
 * late event cannot crash the process, end() always, and a bound on the connections held at once.
 */
import { createHash } from 'node:crypto';
import SftpClient from 'ssh2-sftp-client';
import type { SFTPWrapper, Stats, FileEntryWithStats } from 'ssh2';
import type { Logger } from '../../log.ts';
import { GatewayError } from '../../errors.ts';
import { resolveSecret } from '../../config.ts';
import type { PartnerProfile } from '../../../translators/profile.ts';

export interface SftpEndpoint {
  host: string;
  port: number;
  username: string;
  privateKey?: string;
  password?: string;
  /** `SHA256:<base64>` or bare base64, as `ssh-keygen -l -E sha256` prints it */
  hostKeySha256: string;
}

export interface RetryPolicy { attempts: number; baseMs: number; maxMs: number }

export interface ConnectionOptions {
  log: Logger;
  /** connections open at once over all partners */
  maxConnections?: number;
  retry?: Partial<RetryPolicy>;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** an idle connection is closed after this long */
  idleCloseMs?: number;
  /** test seam: the wait between two connect attempts */
  sleep?: (ms: number) => Promise<void>;
}

export function endpointFromProfile(profile: PartnerProfile, env: NodeJS.ProcessEnv = process.env): SftpEndpoint {
  const s = profile.sftp;
  if (!s) throw new GatewayError('sftp-not-configured', `partner ${profile.id} has no sftp section`);
  const privateKey = s.privateKeyFile || s.privateKeyEnv ? resolveSecret({ env: s.privateKeyEnv, file: s.privateKeyFile }, env) : undefined;
  const password = s.passwordEnv ? resolveSecret({ env: s.passwordEnv }, env) : undefined;
  if (!privateKey && !password) throw new GatewayError('sftp-secret-missing', `partner ${profile.id}: the SFTP key or password reference gives nothing`);
  return { host: s.host, port: s.port ?? 22, username: s.username, privateKey: privateKey ? `${privateKey}\n` : undefined, password, hostKeySha256: s.hostKeySha256 };
}

export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function hostKeyMatches(key: Buffer, pinned: string): boolean {
  const want = pinned.startsWith('SHA256:') ? pinned : `SHA256:${pinned}`;
  return hostKeyFingerprint(key) === want.replace(/=+$/, '');
}

/** Full jitter: a random wait in [0, min(max, base * 2^attempt)). */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt));
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export interface RemoteEntry { name: string; size: number; mtime: number; regular: boolean }

function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

function isNoSuchFile(err: unknown): boolean {
  return (err as { code?: unknown }).code === 2;
}

/** One live SFTP session. Every operation goes straight to ssh2's channel, so many can run at once. */
export class SftpSession {
  readonly client: SftpClient;
  readonly sftp: SFTPWrapper;
  alive = true;
  users = 0;
  lastUsed = Date.now();
  /** rejects when the connection ends: ssh2 does not always answer the requests in flight then */
  private readonly lost: Promise<never>;
  private loseWith: (err: Error) => void = () => undefined;

  constructor(client: SftpClient, sftp: SFTPWrapper) {
    this.client = client;
    this.sftp = sftp;
    this.lost = new Promise<never>((_, reject) => { this.loseWith = reject; });
    this.lost.catch(() => undefined);
  }

  /** Marks the session dead and fails every operation still waiting on it. */
  markLost(reason: string): void {
    this.alive = false;
    this.loseWith(Object.assign(new Error(`SFTP connection lost: ${reason}`), { code: 'ECONNRESET' }));
  }

  private call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
    if (!this.alive) return Promise.reject(Object.assign(new Error('SFTP connection lost'), { code: 'ECONNRESET' }));
    return Promise.race([call(fn), this.lost]);
  }

  /** Entries of a folder with their lstat attributes (a symlink is not a regular file). */
  async list(dir: string): Promise<RemoteEntry[]> {
    const entries = await this.call<FileEntryWithStats[]>((cb) => this.sftp.readdir(dir, cb));
    return entries.map((e) => ({
      name: e.filename,
      size: e.attrs.size,
      mtime: e.attrs.mtime,
      regular: (e.attrs.mode & S_IFMT) === S_IFREG,
    }));
  }

  async stat(path: string): Promise<Stats | undefined> {
    try {
      return await this.call<Stats>((cb) => this.sftp.lstat(path, cb));
    } catch (err) {
      if (isNoSuchFile(err)) return undefined;
      throw err;
    }
  }

  /**
   * Reads a whole file into memory through one handle. `expect` is checked against the handle's
   * fstat first, so a file replaced after the listing is noticed; the bytes are read to end of file.
   */
  async read(path: string, expect?: { size: number; mtime: number }): Promise<{ bytes: Buffer; size: number; mtime: number }> {
    const handle = await this.call<Buffer>((cb) => this.sftp.open(path, 'r', cb));
    try {
      const st = await this.call<Stats>((cb) => this.sftp.fstat(handle, cb));
      if (expect && (st.size !== expect.size || st.mtime !== expect.mtime || (st.mode & S_IFMT) !== S_IFREG)) {
        return { bytes: Buffer.alloc(0), size: st.size, mtime: st.mtime };
      }
      const chunks: Buffer[] = [];
      let position = 0;
      const chunkSize = 256 * 1024;
      for (;;) {
        const buf = Buffer.allocUnsafe(chunkSize);
        const n = await this.call<number>((cb) => this.sftp.read(handle, buf, 0, chunkSize, position, (err, bytesRead) => cb(err, bytesRead)));
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        position += n;
      }
      return { bytes: Buffer.concat(chunks, position), size: st.size, mtime: st.mtime };
    } finally {
      await this.call<void>((cb) => this.sftp.close(handle, cb)).catch(() => undefined);
    }
  }

  /** Writes (truncating) a file in one open/write/close. */
  async write(path: string, bytes: Buffer): Promise<void> {
    const handle = await this.call<Buffer>((cb) => this.sftp.open(path, 'w', cb));
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const n = Math.min(bytes.length - offset, 32 * 1024);
        await this.call<void>((cb) => this.sftp.write(handle, bytes, offset, n, offset, cb));
        offset += n;
      }
    } finally {
      await this.call<void>((cb) => this.sftp.close(handle, cb));
    }
  }

  /** Plain SFTP rename: fails when the target exists. */
  rename(from: string, to: string): Promise<void> {
    return this.call<void>((cb) => this.sftp.rename(from, to, cb));
  }

  get hasPosixRename(): boolean {
    return Boolean((this.sftp as unknown as { _extensions?: Record<string, string> })._extensions?.['posix-rename@openssh.com']);
  }

  /** Atomic rename that replaces the target, where the server offers posix-rename@openssh.com. */
  replace(from: string, to: string): Promise<void> {
    return this.hasPosixRename ? this.call<void>((cb) => this.sftp.ext_openssh_rename(from, to, cb)) : this.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    try {
      await this.call<void>((cb) => this.sftp.unlink(path, cb));
    } catch (err) {
      if (!isNoSuchFile(err)) throw err;
    }
  }
}

/** end() waits for the socket to close, which a stalled peer never does: give it a moment, then destroy. */
async function endClient(client: SftpClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, 2_000); }),
  ]);
  clearTimeout(timer);
  (client as unknown as { client: { destroy(): void } }).client.destroy();
}

interface Slot { session?: SftpSession; connecting?: Promise<SftpSession> }

/** Why a connect attempt failed in a way another attempt cannot fix. */
function permanentConnectError(err: unknown, hostKeyRefused: boolean, partnerId: string): GatewayError | undefined {
  if (hostKeyRefused) {
    return new GatewayError('sftp-host-key-mismatch', `partner ${partnerId}: the server's host key does not match the pinned fingerprint; refused`, { cause: err });
  }
  const message = (err as Error)?.message ?? '';
  if ((err as { level?: string }).level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new GatewayError('sftp-auth-failed', `partner ${partnerId}: the server refused our credentials`, { cause: err });
  }
  return undefined;
}

/** One reused connection per partner, at most `maxConnections` at once. */
export class SftpConnections {
  private readonly slots = new Map<string, Slot>();
  private readonly waiters: Array<() => void> = [];
  private readonly opts: Required<Omit<ConnectionOptions, 'retry'>> & { retry: RetryPolicy };
  private reaper?: NodeJS.Timeout;
  private closed = false;

  constructor(options: ConnectionOptions) {
    this.opts = {
      log: options.log,
      maxConnections: options.maxConnections ?? 8,
      retry: { attempts: 5, baseMs: 250, maxMs: 10_000, ...options.retry },
      readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 5_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      idleCloseMs: options.idleCloseMs ?? 120_000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
    this.reaper = setInterval(() => this.closeIdle(), Math.min(this.opts.idleCloseMs, 30_000));
    this.reaper.unref();
  }

  /** Runs fn on the partner's connection; a connection that failed under it is dropped for the next call. */
  async use<T>(partnerId: string, endpoint: SftpEndpoint, fn: (s: SftpSession) => Promise<T>): Promise<T> {
    const session = await this.acquire(partnerId, endpoint);
    session.users++;
    try {
      return await fn(session);
    } catch (err) {
      if (!session.alive) throw new GatewayError('sftp-connection-lost', `partner ${partnerId}: the SFTP connection was lost: ${(err as Error).message}`, { retryable: true, cause: err });
      throw err;
    } finally {
      session.users--;
      session.lastUsed = Date.now();
      // a partner waiting for a free connection may now evict this one
      if (session.users === 0) this.wake();
    }
  }

  get openCount(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.session?.alive || s.connecting) n++;
    return n;
  }

  /** Ends every connection; later calls to use() fail. */
  async closeAll(): Promise<void> {
    this.closed = true;
    if (this.reaper) clearInterval(this.reaper);
    const ends: Promise<void>[] = [];
    for (const [id, slot] of this.slots) {
      if (slot.session) ends.push(this.end(id, slot.session));
    }
    await Promise.all(ends);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Drops a partner's connection (e.g. after a failure its user noticed). */
  async drop(partnerId: string): Promise<void> {
    const slot = this.slots.get(partnerId);
    if (slot?.session) await this.end(partnerId, slot.session);
  }

  private async acquire(partnerId: string, endpoint: SftpEndpoint): Promise<SftpSession> {
    for (;;) {
      if (this.closed) throw new GatewayError('sftp-closed', 'SFTP connections are closed (stopping)', { retryable: true });
      const slot = this.slots.get(partnerId);
      if (slot?.session?.alive) return slot.session;
      if (slot?.connecting) return slot.connecting;
      if (this.openCount < this.opts.maxConnections || this.evictIdle()) {
        const connecting = this.connectWithRetry(partnerId, endpoint);
        const fresh: Slot = { connecting };
        this.slots.set(partnerId, fresh);
        try {
          fresh.session = await connecting;
          return fresh.session;
        } catch (err) {
          this.slots.delete(partnerId);
          this.wake();
          throw err;
        } finally {
          fresh.connecting = undefined;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private evictIdle(): boolean {
    let oldest: [string, SftpSession] | undefined;
    for (const [id, slot] of this.slots) {
      const s = slot.session;
      if (s && s.users === 0 && (!oldest || s.lastUsed < oldest[1].lastUsed)) oldest = [id, s];
    }
    if (!oldest) return false;
    void this.end(oldest[0], oldest[1]);
    return true;
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, slot] of this.slots) {
      const s = slot.session;
      if (s && s.users === 0 && now - s.lastUsed > this.opts.idleCloseMs) void this.end(id, s);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async end(partnerId: string, session: SftpSession): Promise<void> {
    session.markLost('closed by us');
    if (this.slots.get(partnerId)?.session === session) this.slots.delete(partnerId);
    this.wake();
    await endClient(session.client);
  }

  private async connectWithRetry(partnerId: string, endpoint: SftpEndpoint): Promise<SftpSession> {
    const { retry, log } = this.opts;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connectOnce(partnerId, endpoint);
      } catch (err) {
        if (err instanceof GatewayError && !err.retryable) throw err;
        if (attempt + 1 >= retry.attempts || this.closed) {
          throw new GatewayError('sftp-connect-failed', `partner ${partnerId}: cannot connect to ${endpoint.host}:${endpoint.port} after ${attempt + 1} attempts: ${(err as Error).message}`, { retryable: true, cause: err });
        }
        const wait = backoffMs(attempt, retry);
        log.warn({ partnerId, attempt: attempt + 1, waitMs: wait, err: (err as Error).message }, 'sftp connect failed, retrying');
        await this.opts.sleep(wait);
      }
    }
  }

  private async connectOnce(partnerId: string, endpoint: SftpEndpoint): Promise<SftpSession> {
    const { log } = this.opts;
    let session: SftpSession | undefined;
    const markDead = (event: string) => (err?: unknown) => {
      if (session?.alive) log.warn({ partnerId, event, err: (err as Error | undefined)?.message }, 'sftp connection ended');
      if (session) {
        session.markLost(event);
        if (this.slots.get(partnerId)?.session === session) {
          this.slots.delete(partnerId);
          this.wake();
        }
      }
    };
    // the global listeners stay for the client's whole life, so a late error/end/close is handled
    const client = new SftpClient(`sftp-${partnerId}`, { error: markDead('error'), end: markDead('end'), close: markDead('close') });
    let hostKeyRefused = false;
    try {
      const sftp = (await client.connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        privateKey: endpoint.privateKey,
        password: endpoint.password,
        readyTimeout: this.opts.readyTimeoutMs,
        keepaliveInterval: this.opts.keepaliveIntervalMs,
        keepaliveCountMax: this.opts.keepaliveCountMax,
        hostVerifier: (key: Buffer) => {
          const ok = hostKeyMatches(key, endpoint.hostKeySha256);
          if (!ok) {
            hostKeyRefused = true;
            log.error({ partnerId, offered: hostKeyFingerprint(key) }, 'sftp host key does not match the pinned fingerprint');
          }
          return ok;
        },
      })) as unknown as SFTPWrapper;
      session = new SftpSession(client, sftp);
      return session;
    } catch (err) {
      await endClient(client);
      throw permanentConnectError(err, hostKeyRefused, partnerId) ?? err;
    }
  }
}
