/** The SQL of the cXML endpoint, in one place: answered payloadIDs and refusals. */
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface AnsweredRequest { bodySha256: string; status: number; response: Buffer; documentId: string | null }

export async function findAnswered(db: Queryable, partnerId: string, payloadId: string): Promise<AnsweredRequest | undefined> {
  const r = await db.query<{ body_sha256: string; status: number; response: Buffer; document_id: string | null }>(
    'select body_sha256, status, response, document_id from cxml_requests where partner_id = $1 and payload_id = $2', [partnerId, payloadId]);
  const row = r.rows[0];
  return row && { bodySha256: row.body_sha256, status: row.status, response: row.response, documentId: row.document_id };
}

/** false when another request with this (partner, payloadID) committed first: the unique key decides. */
export async function recordAnswer(db: Queryable, a: { partnerId: string; payloadId: string; bodySha256: string; status: number; response: Buffer; documentId?: string; requestName: string }): Promise<boolean> {
  const r = await db.query(
    `insert into cxml_requests (partner_id, payload_id, body_sha256, status, response, document_id, request_name)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (partner_id, payload_id) do nothing returning id`,
    [a.partnerId, a.payloadId, a.bodySha256, a.status, a.response, a.documentId ?? null, a.requestName]);
  return r.rowCount === 1;
}

export interface Refusal { status: number; reason: string; remoteAddress?: string; senderDomain?: string; senderIdentity?: string; partnerId?: string; payloadId?: string; size?: number }

export async function recordRefusal(db: Queryable, r: Refusal): Promise<void> {
  await db.query(
    `insert into cxml_refusals (status, reason, remote_address, sender_domain, sender_identity, partner_id, payload_id, size)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.status, r.reason.slice(0, 1000), r.remoteAddress ?? null, r.senderDomain ?? null, r.senderIdentity ?? null, r.partnerId ?? null, r.payloadId ?? null, r.size ?? null]);
}

/** Our outbound document that carried this payloadID (the one a StatusUpdateRequest reports on). */
export async function findOutboundByPayloadId(db: Queryable, payloadId: string): Promise<string | undefined> {
  const r = await db.query<{ id: string }>(
    `select id from documents where direction = 'outbound' and format = 'cxml' and business_keys->>'payloadId' = $1 order by id limit 1`, [payloadId]);
  return r.rows[0]?.id;
}
