// Shapes of the seed data. Codes are the stable keys that make seeding idempotent: a row is found by its
// code and only inserted when missing, so user edits are never overwritten.

export type PlanNodeKind = "section" | "pillar" | "item" | "subitem" | "support";

export interface PlanNodeSeed {
  /** "一" … "五" sections are "1" … "5"; then "4.1", "4.1.3", "4.1.3.1", "5.4" … */
  code: string;
  parentCode: string | null;
  kind: PlanNodeKind;
  titleZh: string;
  titleEn: string;
  /** true only where the English title is the official one (pillars, priority areas, the plan itself) */
  titleEnOfficial: boolean;
  /** the plan's own text for the node, verbatim from the reference (Chinese) */
  textZh: string;
  /** faithful English rendering of textZh (always unofficial) */
  textEn: string;
  /** activities may be logged against it (the numbered items 4.x.y, 4.1.3.x, 5.x) */
  loggable: boolean;
}

export interface PriorityAreaSeed {
  code: "connectivity" | "production-capacity" | "cross-border-economic" | "water-resources" | "agriculture-poverty";
  nameZh: string;
  nameEn: string;
  planCodes: string[];
}

export type OrganizationKind = "province" | "prefecture" | "county" | "secretariat" | "liaison_office";

export interface OrganizationSeed {
  /** stable slug, e.g. "yn", "yn-xsbn", "yn-xsbn-mengla", "lmc-cn-secretariat" */
  code: string;
  parentCode: string | null;
  kind: OrganizationKind;
  nameZh: string;
  nameEn: string;
  /** ISO 3166-1 alpha-2 of the country the unit is in */
  countryCode: string;
}

/** A body of the counterpart register (foreign bodies are not units of our tree). */
export interface CounterpartSeed {
  /** stable slug, e.g. "la-champasak" */
  code: string;
  /** a counterpart country (utils/countries.ts) */
  countryCode: string;
  level: "national" | "province" | "city" | "district" | "village" | "organization";
  /** without the country: 占巴塞省 */
  nameZh: string;
  nameEn: string;
  /** in the body's own language, where known */
  nameLocal: string;
  /** other spellings the documents and offices write */
  aliases: string[];
}

export type ActivityType =
  | "outbound_visit"
  | "inbound_visit"
  | "meeting"
  | "agreement"
  | "sister_city"
  | "aid_project"
  | "training"
  | "festival"
  | "other";

export type ActivityStatus = "planned" | "ongoing" | "completed" | "cancelled";

export interface ActivitySeed {
  /** stable key for idempotent seeding, e.g. "xsbn-2023h1-outbound" */
  key: string;
  organizationCode: string;
  title: string;
  type: ActivityType;
  /** ISO dates; where the document gives only a month or half-year, the first/last day of it */
  startDate: string;
  endDate: string;
  status: ActivityStatus;
  primaryPlanCode: string;
  otherPlanCodes: string[];
  /** ISO alpha-2 codes */
  countries: string[];
  counterpartBody: string;
  location: string;
  delegationsCount: number | null;
  participantsCount: number | null;
  /** 万元 as a decimal string, e.g. "30", "223.36"; null when the document gives no amount */
  fundingWan: string | null;
  fundingSource: string;
  outcome: string;
  evidence: { url: string; label: string }[];
  /** 配合单位: units of the tree that co-operate, by code (the lead is organizationCode) */
  partnerCodes?: string[];
  /** which reference document (file name) and what it says, so the figure can be checked */
  sourceNote: string;
}
