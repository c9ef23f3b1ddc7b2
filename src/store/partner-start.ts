/**
 * When EDI with each partner began. Going live must not send a supplier every purchase order it already
 * has by mail: the first run with a profile records its start, and only orders confirmed since go out
 * on their own (a cursor or webhook export, reconciliation). A profile may name the date instead
 * (odoo.sendOrdersConfirmedFrom), and an operator's `send-order` sends any order.
 */
import type { Queryable } from '../db/pool.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import { GatewayError } from '../errors.ts';

/** Records the start of every partner not seen before (its profile is loaded now). */
export async function recordPartnerStarts(db: Queryable, partnerIds: string[]): Promise<void> {
  await db.query('insert into partner_edi_start (partner_id) select unnest($1::text[]) on conflict (partner_id) do nothing', [partnerIds]);
}

/** Orders of this partner confirmed before this instant are not sent on their own. */
export async function ordersConfirmedFrom(db: Queryable, profile: PartnerProfile): Promise<Date> {
  const configured = profile.odoo?.sendOrdersConfirmedFrom;
  if (configured) {
    const iso = configured.replace(' ', 'T');
    const at = new Date(/[zZ]$|[+-]\d{2}:?\d{2}$/.test(iso) && iso.length > 10 ? iso : `${iso}${iso.length > 10 ? '' : 'T00:00:00'}Z`);
    if (Number.isNaN(at.getTime())) throw new GatewayError('profile-invalid', `partner ${profile.id}: odoo.sendOrdersConfirmedFrom "${configured}" is not a date`);
    return at;
  }
  const r = await db.query<{ since: Date }>(
    `with seen as (insert into partner_edi_start (partner_id) values ($1) on conflict (partner_id) do nothing returning since)
     select since from seen union all select since from partner_edi_start where partner_id = $1 limit 1`, [profile.id]);
  return r.rows[0]!.since;
}

/** An instant as Odoo writes datetimes: UTC, 'YYYY-MM-DD HH:MM:SS'. */
export function odooDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
