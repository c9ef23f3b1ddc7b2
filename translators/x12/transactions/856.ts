/**
 * 856 Ship Notice/Manifest → canonical ship-notice, for every HL shape (S/O/P/I, S/O/I, S/I, S/O/T/P/I,
 * items nested under items for lot or serial detail).
 *
 * The HL tree is checked first: HL01 unique, HL02 naming an earlier HL (an error at the HL's position
 * otherwise); an HL without HL02 after the first is attached to the nearest earlier HL of a higher level,
 * with a warning. Shipment: BSN02 id, BSN01 purpose, DTM 011 ship date (else BSN03), DTM 017/067
 * estimated delivery, TD5 carrier (03 code, 05 name, 04 method), REF CN/BM and MAN CP tracking, N1 SF/ST.
 * Order: PRF01 (the item's own PRF wins). Item: PO line from the LIN PL pair, else LIN01, else its order;
 * LIN ids (GTIN check digits warned), SN1 quantity and unit; lots from LIN LT/B8 and REF LT with DTM
 * 036/208/209/510 expiry; serials from LIN SN and REF SE; an item under an item adds its lots and serials
 * (with its SN1 quantity) to its parent. Lines are summed per PO line across packs; packs (T, P) carry SSCC
 * (MAN GM/UC/W, AI 00 stripped), weight (MEA G, TD1, PO4), parent and contents.
 */
import type { Lot, Package, Party, ShipNotice, ShipNoticeLine, ShipNoticeOrder } from '../../types.ts';
import type { PartnerProfile } from '../../profile.ts';
import { addDecimal, compareDecimal } from '../../common/decimal.ts';
import { allDigits } from '../../common/dates.ts';
import { uomFromPartner } from '../../common/uom.ts';
import { el } from '../segments.ts';
import type { TransactionInput, TransactionResult } from '../transaction.ts';
import { withHooks } from '../hooks.ts';
import { envelopeFields } from './envelope-fields.ts';
import { Findings, lineNumber, positioned, type At } from './findings.ts';
import { pairsApart, readPairs } from './item-ids.ts';
import { addToParty, PARTY_MEMBERS, startParty } from './parties.ts';

const LEVEL_RANK: Readonly<Record<string, number>> = { S: 0, O: 1, T: 2, P: 3, I: 4 };
const PURPOSES: Readonly<Record<string, ShipNotice['purpose']>> = { '00': 'new', '01': 'cancel', '05': 'change', '06': 'new', '07': 'new', '14': 'new' };
const EXPIRY_QUALIFIERS = new Set(['036', '208', '209', '510']);
const SSCC_QUALIFIERS = new Set(['GM', 'UC', 'W']);
const APART = new Set(['LT', 'B8', 'SN', 'PL']);

interface HlNode {
  at: At;
  id: string;
  level: string;
  parent?: HlNode;
  /** item-level HLs directly under this one, in order */
  itemChildren: HlNode[];
  segments: readonly At[];
  /** the first LIN, SN1 and PRF among `segments`, noted as they are added (read for every item) */
  lin?: At;
  sn1?: At;
  prf?: At;
}

interface ItemRead {
  poNumber: string;
  lineNumber: string;
  quantity: string;
  uom: string;
  line: ShipNoticeLine;
  at: At;
}

function map856(input: TransactionInput, profile?: PartnerProfile): TransactionResult<ShipNotice> {
  const f = new Findings();
  const all = positioned(input.segments);
  const firstHl = all.findIndex((a) => a.segment.id === 'HL');
  const header = firstHl < 0 ? all : all.slice(0, firstHl);
  const nodes = firstHl < 0 ? [] : buildTree(all, firstHl, f);
  const notice: Partial<ShipNotice> & { orders: ShipNoticeOrder[]; packages: Package[] } = {
    type: 'ship-notice', ...envelopeFields(input, profile), orders: [], packages: [],
  };
  const tracking: string[] = [];
  let bsnDate: string | undefined;

  const shipmentSegments = [...header, ...nodes.filter((n) => n.level === 'S').flatMap((n) => n.segments)];
  let party: Party | undefined;
  for (const at of shipmentSegments) {
    const s = at.segment;
    if (party && PARTY_MEMBERS.has(s.id) && s.id !== 'REF') {
      addToParty(party, at);
      continue;
    }
    party = undefined;
    switch (s.id) {
      case 'BSN': {
        const id = f.required(at, 2, 'shipment identification');
        if (id) notice.shipmentId = id;
        notice.purpose = PURPOSES[el(s, 1)] ?? 'new';
        bsnDate = f.date(at, 3);
        break;
      }
      case 'DTM': {
        const date = f.date(at, 2);
        if (!date) break;
        if (el(s, 1) === '011') notice.shipDate ??= date;
        if (el(s, 1) === '017' || el(s, 1) === '067') notice.estimatedDeliveryDate ??= date;
        break;
      }
      case 'TD5':
        if (!notice.carrier && (el(s, 3) || el(s, 5))) {
          notice.carrier = { trackingNumbers: [] };
          if (el(s, 3)) notice.carrier.code = el(s, 3);
          if (el(s, 5)) notice.carrier.name = el(s, 5);
          if (el(s, 4)) notice.carrier.method = el(s, 4);
        }
        break;
      case 'REF':
        if ((el(s, 1) === 'CN' || el(s, 1) === 'BM') && el(s, 2)) tracking.push(el(s, 2));
        break;
      case 'N1':
        party = startParty(at);
        if (el(s, 1) === 'SF') notice.shipFrom ??= party;
        if (el(s, 1) === 'ST') notice.shipTo ??= party;
        break;
    }
  }
  notice.shipDate ??= bsnDate;

  const items = nodes.filter((n) => n.level === 'I' && n.parent?.level !== 'I').map((n, i) => readItem(n, i + 1, f, profile));
  notice.orders = summarise(items, f);
  notice.packages = readPackages(nodes, items, tracking, f);
  const unique = [...new Set(tracking)];
  if (unique.length > 0) (notice.carrier ??= { trackingNumbers: [] }).trackingNumbers = unique;
  if (!notice.shipmentId || !notice.shipDate || f.errors.length > 0) return { errors: f.errors, warnings: f.warnings };
  return { document: notice as ShipNotice, errors: f.errors, warnings: f.warnings };
}

/** The HL nodes (from the first HL, at `from`) with their segments and checked parent links. */
function buildTree(all: readonly At[], from: number, f: Findings): HlNode[] {
  const nodes: HlNode[] = [];
  const byId = new Map<string, HlNode>();
  let i = from;
  for (; i < all.length; i++) {
    const at = all[i]!;
    const s = at.segment;
    if (s.id === 'CTT' || s.id === 'SE') break;
    if (s.id !== 'HL') {
      noteFirst(nodes[nodes.length - 1]!, at);
      continue;
    }
    if (nodes.length > 0) closeNode(nodes[nodes.length - 1]!, all, i);
    // every field set here, so all nodes share one shape
    const node: HlNode = { at, id: el(s, 1), level: el(s, 3), parent: undefined, itemChildren: [], segments: NO_SEGMENTS, lin: undefined, sn1: undefined, prf: undefined };
    if (byId.has(node.id)) f.error(at, '7', `HL01 "${node.id}" is used by an earlier HL: the hierarchy is broken`);
    const parentId = el(s, 2);
    if (parentId) {
      const parent = byId.get(parentId);
      if (parent) node.parent = parent;
      else f.error(at, '7', `HL02 "${parentId}" names no earlier HL: the hierarchy is broken`);
    } else if (nodes.length > 0) {
      const rank = LEVEL_RANK[node.level] ?? 5;
      const parent = [...nodes].reverse().find((n) => (LEVEL_RANK[n.level] ?? 5) < rank);
      if (parent) {
        node.parent = parent;
        f.warning(at, 'HL_PARENT_INFERRED', `HL ${node.id} has no HL02: attached to HL ${parent.id} (${parent.level})`, 2);
      }
    }
    if (node.parent && node.level === 'I') node.parent.itemChildren.push(node);
    byId.set(node.id, node);
    nodes.push(node);
  }
  if (nodes.length > 0) closeNode(nodes[nodes.length - 1]!, all, i);
  return nodes;
}

const NO_SEGMENTS: readonly At[] = [];

/** The node's segments: those after its HL up to `end` (the next HL, CTT or SE), as one exact slice. */
function closeNode(node: HlNode, all: readonly At[], end: number): void {
  node.segments = all.slice(node.at.position, end);
}

/** Notes the node's first LIN, SN1 and PRF as its segments go by. */
function noteFirst(node: HlNode, at: At): void {
  switch (at.segment.id) {
    case 'LIN': node.lin ??= at; break;
    case 'SN1': node.sn1 ??= at; break;
    case 'PRF': node.prf ??= at; break;
  }
}

function prf(node: HlNode): string | undefined {
  return node.prf ? el(node.prf.segment, 1) || undefined : undefined;
}

/** The PO number of the node's own PRF, else of the nearest enclosing level with one. */
function poNumberOf(node: HlNode): string | undefined {
  for (let n: HlNode | undefined = node; n; n = n.parent) {
    const number = prf(n);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** The nearest enclosing HL that is a package in `byNode`. */
function containerOf(node: HlNode, byNode: ReadonlyMap<HlNode, Package>): HlNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (byNode.has(n)) return n;
  return undefined;
}

function readItem(node: HlNode, sequence: number, f: Findings, profile?: PartnerProfile): ItemRead {
  const line: ShipNoticeLine = { lineNumber: '', itemIds: {}, quantityShipped: '0', uom: '', lots: [], serialNumbers: [] };
  let poNumber = poNumberOf(node);
  let lineId: string | undefined;
  let quantity: string | undefined;
  const lin = node.lin;
  if (lin) {
    const { itemIds, set } = readPairs(lin, 2, f, APART);
    line.itemIds = itemIds;
    lineId = set.find((p) => p.qualifier === 'PL')?.value ?? (el(lin.segment, 1) || undefined);
  }
  const sn1 = node.sn1;
  if (sn1) {
    quantity = f.decimal(sn1, 2);
    line.uom = uomFromPartner(el(sn1.segment, 3), profile);
  } else {
    f.error(node.at, '3', `item HL ${node.id} has no SN1: its shipped quantity is unknown`);
  }
  collectLotsAndSerials(node, line, quantity, f);
  for (const child of node.itemChildren) {
    const childSn1 = child.sn1;
    const childQuantity = childSn1 ? f.decimal(childSn1, 2) : undefined;
    collectLotsAndSerials(child, line, childQuantity, f);
    if (!sn1 && childQuantity) quantity = addDecimal(quantity ?? '0', childQuantity);
  }
  if (!poNumber) {
    f.warning(node.at, 'PO_NUMBER_MISSING', `item HL ${node.id} has no PRF on its own or an enclosing level: its PO is unknown`);
    poNumber = '';
  }
  line.lineNumber = lineNumber(lineId ?? String(sequence));
  line.quantityShipped = quantity ?? '0';
  return { poNumber, lineNumber: line.lineNumber, quantity: line.quantityShipped, uom: line.uom, line, at: node.at };
}

/** Lots (LIN LT/B8, REF LT), their expiry (DTM) and serials (LIN SN, REF SE) of one item-level HL into `line`. */
function collectLotsAndSerials(node: HlNode, line: ShipNoticeLine, quantity: string | undefined, f: Findings): void {
  const lots: string[] = [];
  let expiry: string | undefined;
  for (const at of node.segments) {
    const s = at.segment;
    if (s.id === 'LIN') {
      for (const p of pairsApart(at, 2, APART)) {
        if (p.qualifier === 'LT' || p.qualifier === 'B8') lots.push(p.value);
        if (p.qualifier === 'SN') line.serialNumbers.push(p.value);
      }
    } else if (s.id === 'REF' && el(s, 1) === 'LT' && el(s, 2)) {
      lots.push(el(s, 2));
    } else if (s.id === 'REF' && el(s, 1) === 'SE' && el(s, 2)) {
      line.serialNumbers.push(el(s, 2));
    } else if (s.id === 'DTM' && EXPIRY_QUALIFIERS.has(el(s, 1))) {
      expiry ??= f.date(at, 2);
    }
  }
  for (const lotNumber of lots.length < 2 ? lots : [...new Set(lots)]) {
    const lot: Lot = { lotNumber };
    if (expiry) lot.expirationDate = expiry;
    if (quantity !== undefined && lots.length === 1) lot.quantity = quantity;
    line.lots.push(lot);
  }
}

/** One entry per PO line: quantities summed over every pack, lots merged by number and expiry. */
function summarise(items: readonly ItemRead[], f: Findings): ShipNoticeOrder[] {
  const orders = new Map<string, ShipNoticeOrder>();
  const lines = new Map<string, ShipNoticeLine>();
  for (const item of items) {
    let order = orders.get(item.poNumber);
    if (!order) orders.set(item.poNumber, (order = { poNumber: item.poNumber, lines: [] }));
    const key = `${item.poNumber}\u0000${item.lineNumber}`;
    const held = lines.get(key);
    if (!held) {
      const copy: ShipNoticeLine = { ...item.line, itemIds: { ...item.line.itemIds }, lots: item.line.lots.map((l) => ({ ...l })), serialNumbers: [...item.line.serialNumbers] };
      lines.set(key, copy);
      order.lines.push(copy);
      continue;
    }
    if (held.uom !== item.uom) {
      f.warning(item.at, 'UOM_MISMATCH', `PO ${item.poNumber} line ${item.lineNumber} is shipped in ${held.uom} and ${item.uom}: quantities added as they are`);
    }
    held.quantityShipped = addDecimal(held.quantityShipped, item.quantity);
    held.itemIds = { ...item.line.itemIds, ...held.itemIds };
    held.serialNumbers.push(...item.line.serialNumbers);
    for (const lot of item.line.lots) mergeLot(held.lots, lot);
  }
  return [...orders.values()];
}

function mergeLot(lots: Lot[], lot: Lot): void {
  const same = lots.find((l) => l.lotNumber === lot.lotNumber && l.expirationDate === lot.expirationDate);
  if (!same) {
    lots.push({ ...lot });
  } else if (same.quantity !== undefined && lot.quantity !== undefined) {
    same.quantity = addDecimal(same.quantity, lot.quantity);
  } else {
    delete same.quantity;
  }
}

function sscc(node: HlNode, tracking: string[]): string | undefined {
  let found: string | undefined;
  for (const at of node.segments) {
    if (at.segment.id !== 'MAN') continue;
    const value = el(at.segment, 2);
    if (el(at.segment, 1) === 'CP' && value) tracking.push(value);
    if (SSCC_QUALIFIERS.has(el(at.segment, 1)) && value) found ??= value.length === 20 && value.startsWith('00') && allDigits(value) ? value.slice(2) : value;
  }
  return found;
}

function weight(node: HlNode): { weight: string; uom: string } | undefined {
  for (const at of node.segments) {
    const s = at.segment;
    if (s.id === 'MEA' && ['G', 'WT'].includes(el(s, 2)) && /^\d*\.?\d+$/.test(el(s, 3))) return { weight: el(s, 3), uom: (el(s, 4).split(/[^A-Z0-9]/)[0] ?? '') };
  }
  for (const at of node.segments) {
    const s = at.segment;
    if (s.id === 'TD1' && /^\d*\.?\d+$/.test(el(s, 7))) return { weight: el(s, 7), uom: el(s, 8) };
    if (s.id === 'PO4' && /^\d*\.?\d+$/.test(el(s, 6))) return { weight: el(s, 6), uom: el(s, 7) };
  }
  return undefined;
}

function readPackages(nodes: readonly HlNode[], items: readonly ItemRead[], tracking: string[], f: Findings): Package[] {
  const packNodes = nodes.filter((n) => n.level === 'T' || n.level === 'P');
  const packages: Package[] = [];
  const byNode = new Map<HlNode, Package>();
  for (const node of packNodes) {
    const pkg: Package = { level: node.level === 'T' ? 'tare' : 'pack', contents: [] };
    const code = sscc(node, tracking);
    if (code) pkg.sscc = code;
    const w = weight(node);
    if (w) {
      pkg.weight = w.weight.startsWith('.') ? `0${w.weight}` : w.weight;
      if (w.uom) pkg.weightUom = w.uom;
    }
    const container = containerOf(node, byNode);
    if (container) pkg.parent = byNode.get(container)!.sscc ?? String(packages.indexOf(byNode.get(container)!));
    byNode.set(node, pkg);
    packages.push(pkg);
  }
  const itemNodes = nodes.filter((n) => n.level === 'I' && n.parent?.level !== 'I');
  itemNodes.forEach((node, i) => {
    const container = containerOf(node, byNode);
    const item = items[i]!;
    if (!container) return;
    const contents = byNode.get(container)!.contents;
    const same = contents.find((c) => c.poNumber === item.poNumber && c.lineNumber === item.lineNumber);
    if (same) same.quantity = addDecimal(same.quantity, item.quantity);
    else contents.push({ poNumber: item.poNumber, lineNumber: item.lineNumber, quantity: item.quantity });
  });
  for (const pkg of packages) {
    if (pkg.contents.some((c) => compareDecimal(c.quantity, '0') < 0)) f.warning(nodes[0]!.at, 'NEGATIVE_QUANTITY', 'a pack holds a negative quantity');
  }
  return packages;
}

/** 856 → canonical ship-notice. */
export const translate856 = withHooks('856', map856);
