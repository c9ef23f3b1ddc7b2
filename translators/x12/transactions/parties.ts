/** The N1 loop (N1, N2, N3, N4, REF, PER) as a canonical Party. */
import type { Party } from '../../types.ts';
import { el } from '../segments.ts';
import type { At } from './findings.ts';

/** Segments that belong to an N1 loop once it started; anything else ends it. */
export const PARTY_MEMBERS: ReadonlySet<string> = new Set(['N2', 'N3', 'N4', 'REF', 'PER', 'SI', 'FOB', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG', 'DMG']);

export function startParty(at: At): Party {
  const party: Party = { ids: [] };
  const name = el(at.segment, 2);
  if (name) party.name = name;
  const qualifier = el(at.segment, 3);
  const value = el(at.segment, 4);
  if (qualifier && value) party.ids.push({ qualifier, value });
  return party;
}

/** Adds an N3, N4 or PER of the party's loop to it; other segments of the loop are not canonical. */
export function addToParty(party: Party, at: At): void {
  const s = at.segment;
  if (s.id === 'N3') {
    const address = (party.address ??= { lines: [] });
    for (const line of [el(s, 1), el(s, 2)]) if (line) address.lines.push(line);
  } else if (s.id === 'N4') {
    const address = (party.address ??= { lines: [] });
    const [city, state, postalCode, country] = [el(s, 1), el(s, 2), el(s, 3), el(s, 4)];
    if (city) address.city = city;
    if (state) address.state = state;
    if (postalCode) address.postalCode = postalCode;
    if (country) address.country = country;
  } else if (s.id === 'PER' && !party.contact) {
    const contact: NonNullable<Party['contact']> = {};
    if (el(s, 2)) contact.name = el(s, 2);
    for (const n of [3, 5, 7]) {
      const value = el(s, n + 1);
      if (!value) continue;
      const kind = el(s, n);
      if (kind === 'TE' && !contact.phone) contact.phone = value;
      else if (kind === 'EM' && !contact.email) contact.email = value;
    }
    party.contact = contact;
  }
}
