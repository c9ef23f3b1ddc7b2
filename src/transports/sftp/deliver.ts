/**
 * Delivery of our documents (850, 997, ...) to a partner's SFTP outbox: upload under a temporary
 * dot-name, check its size, then rename it to the final name (posix-rename where the server offers
 * it, so a half-written file is never visible under the final name). A retry after an unknown outcome
 * sends the same bytes under the same name; a target that already holds exactly these bytes counts
 * as delivered, one that holds other bytes is a conflict an operator must look at.
 */
import type { OutboundTransport } from '../../context.ts';
import { GatewayError, isTransient } from '../../errors.ts';
import { endpointFromProfile, type SftpConnections } from './connection.ts';
import { joinRemote } from './ingest-file.ts';
import type { SftpHooks } from './ingest-file.ts';
import { acceptableName } from './poller.ts';

export type { OutboundTransport };
export type OutboundFile = Parameters<OutboundTransport['deliver']>[1];

export function temporaryName(name: string): string {
  return `.${name}.part`;
}

function sftpFailure(partnerId: string, err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: unknown }).code;
  // SFTP status 3 (permission denied) will not heal by itself; the rest (lost connection, failure) may
  const retryable = code !== 3 || isTransient(err);
  return new GatewayError('sftp-upload-failed', `partner ${partnerId}: SFTP upload failed: ${(err as Error).message}`, { retryable, cause: err });
}

export function createSftpTransport(deps: { connections: SftpConnections; hooks?: Pick<SftpHooks, 'afterTempWritten'>; env?: NodeJS.ProcessEnv }): OutboundTransport {
  return {
    async deliver(profile, file) {
      const sftp = profile.sftp;
      if (!sftp) throw new GatewayError('sftp-not-configured', `partner ${profile.id} has no sftp section`, { documentId: file.documentId });
      if (!acceptableName(file.name) || file.name.startsWith('.')) {
        throw new GatewayError('sftp-bad-file-name', `document ${file.documentId}: ${JSON.stringify(file.name)} cannot be a remote file name`, { documentId: file.documentId });
      }
      const target = joinRemote(sftp.outbox, file.name);
      const temp = joinRemote(sftp.outbox, temporaryName(file.name));
      try {
        return await deps.connections.use(profile.id, endpointFromProfile(profile, deps.env), async (session) => {
          const existing = await session.stat(target);
          if (existing) {
            const { bytes } = await session.read(target);
            if (bytes.equals(file.bytes)) return { remoteRef: target };
            throw new GatewayError('sftp-target-conflict', `partner ${profile.id}: ${target} already exists with other content; not overwritten`, { documentId: file.documentId });
          }
          await session.write(temp, file.bytes);
          await deps.hooks?.afterTempWritten?.(temp);
          const written = await session.stat(temp);
          if (written?.size !== file.bytes.length) {
            throw new GatewayError('sftp-upload-short', `partner ${profile.id}: ${temp} holds ${written?.size ?? 'no'} bytes, expected ${file.bytes.length}`, { retryable: true, documentId: file.documentId });
          }
          await session.replace(temp, target);
          return { remoteRef: target };
        });
      } catch (err) {
        throw sftpFailure(profile.id, err);
      }
    },
  };
}
