/**
 * Authentication of an inbound cXML document before anything is stored or processed: the Sender
 * credential names a partner profile, its SharedSecret must equal the current or (during rotation)
 * the previous secret, compared in constant time; From must be the partner itself or a supplier the
 * network may speak for; To must be us.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { resolveSecret } from '../config.ts';
import type { PartnerProfile, OurIdentity } from '../../translators/profile.ts';
import type { CxmlCredential } from '../../translators/cxml/read.ts';
import type { CxmlEnvelope } from './cxml-parse.ts';

export type AuthResult =
  | { ok: true; profile: PartnerProfile }
  | { ok: false; status: 401 | 403; reason: string; partnerId?: string };

/** Equal in time independent of where the strings differ and of their lengths (both are hashed first). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const sameId = (a: { domain: string; identity: string }, b: { domain: string; identity: string }): boolean =>
  a.domain.toLowerCase() === b.domain.toLowerCase() && a.identity === b.identity;

export function authenticate(envelope: CxmlEnvelope, partners: { byCxmlCredential(domain: string, identity: string): PartnerProfile | undefined }, ours: OurIdentity, env: NodeJS.ProcessEnv = process.env): AuthResult {
  let sender: CxmlCredential | undefined;
  let profile: PartnerProfile | undefined;
  for (const c of envelope.sender) {
    profile = partners.byCxmlCredential(c.domain, c.identity);
    if (profile) {
      sender = c;
      break;
    }
  }
  if (!profile || !sender) return { ok: false, status: 401, reason: 'the Sender credential is not one we know' };
  const ref = profile.cxml!.credentials.find((c) => sameId(c, sender!))!;
  const secrets = [resolveSecret({ env: ref.sharedSecretEnv, file: ref.sharedSecretFile }, env), ref.previousSharedSecretEnv ? env[ref.previousSharedSecretEnv] : undefined]
    .filter((s): s is string => Boolean(s));
  if (sender.sharedSecret === undefined) return { ok: false, status: 401, reason: 'the Sender credential has no SharedSecret', partnerId: profile.id };
  // compare against every configured secret, never stopping early, so timing does not tell which matched
  const matches = secrets.map((s) => secretsEqual(sender!.sharedSecret!, s));
  if (secrets.length === 0 || !matches.includes(true)) return { ok: false, status: 401, reason: 'the SharedSecret is wrong', partnerId: profile.id };
  if (!profile.enabled) return { ok: false, status: 403, reason: `partner ${profile.id} is disabled`, partnerId: profile.id };
  const allowedFrom = [...profile.cxml!.credentials, ...(profile.cxml!.supplierIdentities ?? [])];
  if (!envelope.from.some((f) => allowedFrom.some((a) => sameId(a, f)))) {
    return { ok: false, status: 403, reason: `${sender.domain}:${sender.identity} may not send for ${envelope.from.map((f) => `${f.domain}:${f.identity}`).join(', ') || 'an empty From'}`, partnerId: profile.id };
  }
  const us = profile.cxml!.ourIdentity ?? ours.cxml;
  if (us && !envelope.to.some((t) => sameId(t, us))) {
    return { ok: false, status: 403, reason: `the document is addressed to ${envelope.to.map((t) => `${t.domain}:${t.identity}`).join(', ') || 'nobody'}, not to us`, partnerId: profile.id };
  }
  return { ok: true, profile };
}
