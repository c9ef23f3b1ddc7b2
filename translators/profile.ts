/**
 * A trading-partner profile as the translators and the gateway see it, after validation against
 * schemas/partner-profile.schema.json and defaults applied. The schema is the contract (and the
 * reference in the README); this type mirrors it.
 */
export interface X12Profile {
  isaQualifier: string;
  isaId: string;
  gsId: string;
  ourIsaQualifier?: string;
  ourIsaId?: string;
  ourGsId?: string;
  version?: '004010' | '005010';
  delimiters?: { element?: string; component?: string; repetition?: string; segment?: string; lineBreak?: boolean };
  functionalAck?: '997' | '999' | 'none';
  ta1?: 'on-request' | 'always' | 'never';
  requestTa1?: boolean;
  usageIndicator?: 'P' | 'T';
  duplicateWindowDays?: number;
  itemIdQualifiers?: string[];
  hooks?: string[];
}

export interface CxmlCredentialRef {
  domain: string;
  identity: string;
  sharedSecretEnv?: string;
  sharedSecretFile?: string;
  previousSharedSecretEnv?: string;
}

export interface CxmlProfile {
  credentials: CxmlCredentialRef[];
  supplierIdentities?: Array<{ domain: string; identity: string }>;
  ourIdentity?: { domain: string; identity: string };
  orderUrl?: string;
  outboundSharedSecretEnv?: string;
  timeoutMs?: number;
  version?: string;
  /** where an OrderRequest carries the GPO contract number: an Extrinsic named ContractNumber, or MasterAgreementIDInfo per ItemOut */
  contractIn?: 'extrinsic' | 'masterAgreementIDInfo';
}

export interface SftpProfile {
  enabled?: boolean;
  host: string;
  port?: number;
  username: string;
  privateKeyFile?: string;
  privateKeyEnv?: string;
  passwordEnv?: string;
  hostKeySha256: string;
  inbox: string;
  filePattern?: string;
  archive?: string;
  outbox: string;
  pollSeconds?: number;
  minFileAgeSeconds?: number;
  quarantineMinutes?: number;
  concurrency?: number;
}

export interface OdooProfile {
  vendorRef?: string;
  vendorId?: number;
  priceTolerancePercent?: number;
  quantityTolerancePercent?: number;
  autoPostBills?: boolean;
  autoValidateReceipts?: boolean;
  minShelfLifeDays?: number;
  /** POs confirmed before this (date or date-time) are not sent on their own; unset: since the gateway first ran with the profile */
  sendOrdersConfirmedFrom?: string;
}

export interface PartnerProfile {
  id: string;
  name: string;
  enabled: boolean;
  role?: 'supplier' | 'network';
  formats: Array<'x12' | 'cxml'>;
  x12?: X12Profile;
  cxml?: CxmlProfile;
  sftp?: SftpProfile;
  odoo?: OdooProfile;
  acks?: { functionalAckHours?: number; orderAckHours?: number; expectOrderAck?: boolean; orderAckForCancellations?: boolean };
  unitsOfMeasure?: Record<string, string>;
}

/** What our side of an exchange looks like (gateway-wide settings, overridable per profile). */
export interface OurIdentity {
  isaQualifier: string;
  isaId: string;
  gsId: string;
  cxml?: { domain: string; identity: string };
}
