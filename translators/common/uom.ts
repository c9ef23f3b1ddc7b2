/**
 * Unit-of-measure codes through the partner profile's `unitsOfMeasure` map, which maps OUR code to
 * THEIRS (e.g. { "CA": "CS" }): outbound looks it up, inbound looks it up inverted.
 */
import type { PartnerProfile } from '../profile.ts';

export function uomToPartner(ours: string, profile?: PartnerProfile): string {
  return profile?.unitsOfMeasure?.[ours] ?? ours;
}

export function uomFromPartner(theirs: string, profile?: PartnerProfile): string {
  const map = profile?.unitsOfMeasure;
  if (!map) return theirs;
  for (const [ours, partner] of Object.entries(map)) if (partner === theirs) return ours;
  return theirs;
}
