/**
 * Field readers shared by the cXML document translators. Each problem becomes a DocumentError with
 * the XML path and cXML status 406 (the document parsed but its content is not acceptable); the
 * readers return a placeholder so translation goes on and every problem is reported at once.
 */
import type { Address, DocumentError, ItemIds, Party, PaymentTerms } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { all, attr, childText, extrinsics, first, text, type XmlNode } from './nodes.ts';
import { isDecimal, normalizeDecimal } from '../common/decimal.ts';
import { uomFromPartner } from '../common/uom.ts';
import { isValidGtin } from '../common/gtin.ts';

const DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?:$|T)/;

/** Extrinsic or Classification names (lower case) that carry an item id, and the canonical id they fill. */
const ITEM_ID_NAMES: Record<string, string> = {
  gtin: 'gtin', ean: 'gtin', eanid: 'gtin', upc: 'upc', ndc: 'ndc', hibcc: 'hibcc', udi: 'udi', unspsc: 'unspsc',
  supplierpartid: 'vendorPart', buyerpartid: 'buyerPart', manufacturerpartid: 'manufacturerPart',
};

export class FieldReader {
  readonly errors: DocumentError[] = [];
  constructor(readonly profile?: PartnerProfile) {}

  error(path: string, message: string, code = '406'): void {
    this.errors.push({ path, code, message });
  }

  required(value: string | undefined, path: string, what: string): string {
    const v = value?.trim();
    if (!v) {
      this.error(path, `${what} is missing`);
      return '';
    }
    return v;
  }

  /** YYYY-MM-DD from a cXML date or datetime.tz, as the sender wrote it (its own time zone). */
  date(value: string | undefined, path: string, required: boolean): string | undefined {
    const v = value?.trim();
    if (!v) {
      if (required) this.error(path, 'date is missing');
      return undefined;
    }
    const m = DATE.exec(v);
    if (!m) {
      this.error(path, `"${v}" is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss±hh:mm)`);
      return undefined;
    }
    return `${m[1]}-${m[2]}-${m[3]}`;
  }

  decimal(value: string | undefined, path: string, required: boolean): string | undefined {
    const v = value?.trim();
    if (!v) {
      if (required) this.error(path, 'number is missing');
      return undefined;
    }
    if (!isDecimal(v)) {
      this.error(path, `"${v}" is not a decimal number`);
      return undefined;
    }
    return normalizeDecimal(v);
  }

  /** The Money child of `node`: amount and currency; an empty <Money/> counts as absent. */
  money(node: XmlNode | undefined, path: string, required: boolean): { amount?: string; currency?: string } {
    const money = first(node, 'Money');
    const amount = this.decimal(text(money), `${path}/Money`, required);
    return { amount, currency: attr(money, 'currency') };
  }

  /** The partner's unit code mapped to ours through the profile's unitsOfMeasure (inverted). */
  uom(code: string | undefined, path: string): string {
    const c = this.required(code, path, 'UnitOfMeasure');
    return uomFromPartner(c, this.profile);
  }

  /** Item ids from ItemID, an item detail (ManufacturerPartID, Classification, EANID) and Extrinsics. */
  itemIds(itemId: XmlNode | undefined, detail: XmlNode | undefined, extra: XmlNode[], path: string): ItemIds {
    const ids: ItemIds = {};
    const set = (name: string | undefined, value: string | undefined): void => {
      if (name && value && ids[name] === undefined) ids[name] = value;
    };
    set('vendorPart', childText(itemId, 'SupplierPartID'));
    set('vendorPartAuxiliary', childText(itemId, 'SupplierPartAuxiliaryID'));
    set('buyerPart', childText(itemId, 'BuyerPartID'));
    for (const ref of all(itemId, 'IdReference')) set(ITEM_ID_NAMES[attr(ref, 'domain')?.toLowerCase() ?? ''], attr(ref, 'identifier')?.trim());
    set('manufacturerPart', childText(detail, 'ManufacturerPartID'));
    set('gtin', childText(first(first(detail, 'ItemDetailIndustry'), 'ItemDetailRetail'), 'EANID'));
    for (const c of all(detail, 'Classification')) set(ITEM_ID_NAMES[attr(c, 'domain')?.toLowerCase() ?? ''], text(c)?.trim());
    for (const node of [detail, ...extra]) {
      for (const [name, value] of extrinsics(node)) set(ITEM_ID_NAMES[name.toLowerCase()], value);
    }
    if (ids.gtin !== undefined && !isValidGtin(ids.gtin)) {
      this.error(path, `GTIN "${ids.gtin}" is not 8, 12, 13 or 14 digits with a valid check digit`);
      delete ids.gtin;
    }
    return ids;
  }

  /** A party from an Address or Contact element (Name, PostalAddress, Email, Phone, addressID). */
  party(node: XmlNode | undefined): Party | undefined {
    if (!node) return undefined;
    const ids = [];
    const addressId = attr(node, 'addressID')?.trim();
    if (addressId) ids.push({ qualifier: attr(node, 'addressIDDomain') ?? 'addressID', value: addressId });
    for (const ref of all(node, 'IdReference')) {
      const value = attr(ref, 'identifier')?.trim();
      if (value) ids.push({ qualifier: attr(ref, 'domain') ?? '', value });
    }
    const party: Party = { ids };
    const name = childText(node, 'Name');
    if (name) party.name = name;
    const postal = first(node, 'PostalAddress');
    if (postal) party.address = address(postal);
    const email = childText(node, 'Email');
    const phone = phoneNumber(first(node, 'Phone'));
    if (email || phone) party.contact = { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    return party;
  }

  paymentTerms(terms: XmlNode[], path: string): PaymentTerms | undefined {
    if (terms.length === 0) return undefined;
    const out: PaymentTerms = {};
    for (const [k, t] of terms.entries()) {
      const days = this.decimal(attr(t, 'payInNumberOfDays'), `${path}[${k + 1}]/@payInNumberOfDays`, false);
      const percent = attr(first(first(t, 'Discount'), 'DiscountPercent'), 'percent');
      if (percent !== undefined && out.discountPercent === undefined) {
        out.discountPercent = this.decimal(percent, `${path}[${k + 1}]/Discount/DiscountPercent/@percent`, true);
        out.discountDays = days;
      } else if (days !== undefined) out.netDays = days;
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  }
}

function address(postal: XmlNode): Address {
  const lines = [...all(postal, 'DeliverTo'), ...all(postal, 'Street')].map((n) => text(n)?.trim() ?? '').filter(Boolean);
  const out: Address = { lines };
  const city = childText(postal, 'City');
  const state = childText(postal, 'State');
  const postalCode = childText(postal, 'PostalCode');
  const country = attr(first(postal, 'Country'), 'isoCountryCode') ?? childText(postal, 'Country');
  if (city) out.city = city;
  if (state) out.state = state;
  if (postalCode) out.postalCode = postalCode;
  if (country) out.country = country;
  return out;
}

function phoneNumber(phone: XmlNode | undefined): string | undefined {
  const tel = first(phone, 'TelephoneNumber');
  if (!tel) return undefined;
  const parts = [childText(tel, 'CountryCode'), childText(tel, 'AreaOrCityCode'), childText(tel, 'Number')].filter(Boolean);
  return parts.length ? `+${parts.join(' ')}` : undefined;
}
