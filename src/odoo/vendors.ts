/** Which partner profile an Odoo vendor is (profile odoo.vendorId, or odoo.vendorRef = res.partner ref). */
import type { PartnerProfile } from '../../translators/profile.ts';
import type { OdooClient } from './client.ts';
import { m2oId } from './apply/lookup.ts';

export async function ediVendors(odoo: OdooClient, profiles: PartnerProfile[]): Promise<Map<number, PartnerProfile>> {
  const out = new Map<number, PartnerProfile>();
  const byRef = new Map<string, PartnerProfile>();
  for (const p of profiles) {
    if (!p.enabled || !p.odoo) continue;
    if (p.odoo.vendorId) out.set(p.odoo.vendorId, p);
    else if (p.odoo.vendorRef) byRef.set(p.odoo.vendorRef, p);
  }
  if (byRef.size > 0) {
    const found = await odoo.search_read('res.partner', [['ref', 'in', [...byRef.keys()]]], ['ref', 'commercial_partner_id']);
    for (const r of found) {
      const profile = byRef.get(String(r.ref));
      if (profile) out.set(m2oId(r.commercial_partner_id) ?? r.id, profile);
    }
  }
  return out;
}
