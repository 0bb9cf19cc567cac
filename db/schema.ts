// The one typed view of the database. Tables and columns are snake_case as in SQL; this file is type-only.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "reporter" | "leader" | "reviewer" | "official" | "admin";
export const ROLES: readonly Role[] = ["reporter", "leader", "reviewer", "official", "admin"];

export interface PlanItemTable {
  id: Generated<number>;
  code: string;
  parent_id: number | null;
  /** "/4/4.2/4.2.5/": ancestors' codes, for portable descendant queries with LIKE */
  path: string;
  depth: number;
  kind: string;
  title_zh: string;
  title_en: string;
  title_en_official: number;
  text_zh: string;
  text_en: string;
  loggable: number;
  sort_order: number;
}

export interface PriorityAreaTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  sort_order: number;
}

export interface PlanItemPriorityAreaTable {
  plan_item_id: number;
  priority_area_id: number;
}

export interface OrganizationTable {
  id: Generated<number>;
  code: string;
  parent_id: number | null;
  /** "/1/12/40/": ancestors' ids and its own, for subtree queries */
  path: string;
  kind: string;
  name_zh: string;
  name_en: string;
  country_code: string;
  sort_order: number;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  organization_id: number;
  locale: string;
  disabled_at: string | null;
  created_at: string;
  last_sign_in_at: string | null;
  password_changed_at: string | null;
  /** 1 after an administrator set a temporary password: the user must choose a new one before anything else */
  must_change_password: ColumnType<number, number | undefined, number>;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  /** refreshed at most once a minute; a session unused for SESSION_IDLE_MINUTES is ended */
  last_seen_at: string | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  /** "user:<username>" or "ip:<address>" */
  key: string;
  attempted_at: string;
}

export interface ActivityTable {
  id: Generated<number>;
  organization_id: number;
  title: string;
  type: string;
  start_date: string;
  end_date: string;
  status: string;
  counterpart_body: string;
  location: string;
  delegations_count: number | null;
  participants_count: number | null;
  funding_cny_fen: number | null;
  funding_source: string;
  outcome: string;
  /** optimistic-concurrency counter: an update must name the version it was made from */
  version: number;
  seed_key: string | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: number | null;
  /** the spreadsheet row it was imported from (unit + title + start date + type, normalised, hashed) */
  import_fingerprint: string | null;
  /**
   * set (to the upload's id) while an import stages the row: it is then also in the recycle bin's state
   * (deleted_at set) and shown nowhere, until the import's last step clears both
   */
  import_pending: number | null;
}

/** The one import that writes at a time (app/models/import-lock.server.ts). */
export interface ImportLockTable {
  name: string;
  /** a random token of the import holding it */
  holder: string;
  upload_id: number;
  acquired_at: string;
  /** renewed by every step of the import: a lock not renewed for a while belongs to an import that died */
  renewed_at: string;
}

export interface ActivityPlanItemTable {
  activity_id: number;
  plan_item_id: number;
  is_primary: number;
}

/**
 * The ledger's running totals (app/models/activity-totals.server.ts): live activities, people, delegations and
 * funding per lead unit (0 = every unit), counterpart country ('' = any), plan group ('' = any), status and month.
 */
export interface ActivityTotalsTable {
  organization_id: number;
  country: string;
  grp: string;
  status: string;
  month: string;
  activities: number;
  people: number;
  delegations: number;
  funding_fen: number;
}

export interface ActivityTypeTotalsTable {
  organization_id: number;
  type: string;
  status: string;
  month: string;
  activities: number;
  people: number;
  delegations: number;
  funding_fen: number;
}

/**
 * One row (id 1): a version of the plan's shape (plan items, their priority areas, the units' tree) that triggers
 * change on every write of those tables, so the totals' cached plan index knows when it is stale.
 */
export interface PlanShapeVersionTable {
  id: number;
  version: ColumnType<number | string, number, number>;
}

export interface ActivityCountryTable {
  activity_id: number;
  country_code: string;
}

export interface ActivityEvidenceTable {
  id: Generated<number>;
  activity_id: number;
  url: string;
  label: string;
  sort_order: number;
}

/** 佐证材料 uploaded as a file: on an activity (activity_id), or on a unit's period report (organization_id, period_id). */
export interface EvidenceFileTable {
  id: Generated<number>;
  activity_id: number | null;
  organization_id: number | null;
  period_id: number | null;
  /** the name as uploaded (shown, and offered on download) */
  name: string;
  /** the type the content was found to be, never the one the browser claimed */
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_by: number | null;
  created_at: string;
  deleted_at: string | null;
  deleted_by: number | null;
}

/** The bytes of an evidence file, read only by its download. */
export interface EvidenceFileContentTable {
  file_id: number;
  bytes: Buffer;
}

/** 配合单位: a unit of our tree (organization_id, name "") or a Chinese department named in words (name). */
export interface ActivityPartnerTable {
  id: Generated<number>;
  activity_id: number;
  organization_id: number | null;
  name: string;
  sort_order: number;
}

/** A pair of activities a reviewer judged not to be one event; activity_id < other_activity_id. */
export interface DuplicateDismissalTable {
  activity_id: number;
  other_activity_id: number;
  dismissed_by: number | null;
  dismissed_at: string;
}

/** A foreign counterpart body (docs/decisions/014-counterpart-register.md): a Lao province, a Thai university. */
export interface CounterpartTable {
  id: Generated<number>;
  /** the seed's stable slug ("la-champasak"); null for bodies registered since */
  code: string | null;
  /** a counterpart country (utils/countries.ts): never CN, TW, HK or MO */
  country_code: string;
  /** national | province | city | district | village | organization */
  level: string;
  /** the name without its country (占巴塞省), which is in country_code */
  name_zh: string;
  name_en: string;
  /** in the body's own language (ແຂວງຈຳປາສັກ), where known */
  name_local: string;
  /** set when a reviewer merged this entry into another: it answers with that one */
  merged_into: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Another way a body is written (占巴色省 for 占巴塞省); name_key is the folded form it is found by. */
export interface CounterpartAliasTable {
  id: Generated<number>;
  counterpart_id: number;
  name: string;
  name_key: string;
  created_by: number | null;
  created_at: string;
}

/** The bodies an activity's 对方机构 text names, in the order it names them. */
export interface ActivityCounterpartTable {
  activity_id: number;
  counterpart_id: number;
  sort_order: number;
}

/** A column the database fills with its default when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * A sister-city relationship (国际友好城市, docs/decisions/015-sister-city-register.md): one of our units and a body of
 * the counterpart register, at a stage. Dates are ISO 8601 at the precision a document gives: "2003", "2003-06" or
 * "2003-06-15" (never a made-up day); null where no document gives one.
 */
export interface SisterCityTable {
  id: Generated<number>;
  /** our unit: an organization of kind province, prefecture or county */
  organization_id: number;
  counterpart_id: number;
  /** consensus (共识) → letter_of_intent (意向书) → established (正式缔结) */
  stage: string;
  consensus_on: ColumnType<string | null, string | null | undefined, string | null>;
  consensus_document: Defaulted<string>;
  consensus_url: Defaulted<string>;
  letter_of_intent_on: ColumnType<string | null, string | null | undefined, string | null>;
  letter_of_intent_document: Defaulted<string>;
  letter_of_intent_url: Defaulted<string>;
  established_on: ColumnType<string | null, string | null | undefined, string | null>;
  established_document: Defaulted<string>;
  established_url: Defaulted<string>;
  /** set when the relationship lapsed or was ended */
  ended_on: ColumnType<string | null, string | null | undefined, string | null>;
  note: Defaulted<string>;
  /** the seed's stable key; null for relationships entered since */
  seed_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: ColumnType<number | null, number | null | undefined, number | null>;
  updated_by: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: number | null;
  /** JSON: { field: [before, after] } for updates, the row for creates */
  changes_json: ColumnType<string, string, string>;
}

export interface ReportingPeriodTable {
  id: Generated<number>;
  /** "2024-Q1", "2024-H1", "2024" */
  code: string;
  kind: "quarter" | "half" | "year";
  year: number;
  seq: number;
  start_date: string;
  end_date: string;
  due_date: string;
  closed_at: string | null;
  closed_by: number | null;
  created_at: string;
}

export type ReportStatus = "draft" | "submitted" | "returned" | "approved";

export interface PeriodReportTable {
  id: Generated<number>;
  organization_id: number;
  period_id: number;
  status: ReportStatus;
  version: number;
  first_submitted_at: string | null;
  submitted_at: string | null;
  submitted_by: number | null;
  reviewed_at: string | null;
  reviewed_by: number | null;
  return_reason: string | null;
  /** when the reporter handed the draft to the leader (提交审签); null once submitted, returned or reopened */
  ready_at: string | null;
  ready_by: number | null;
  /** the narratives as last returned (app/schemas/returned-items.ts), for the reviewer's comparison */
  returned_items_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportReminderTable {
  id: Generated<number>;
  organization_id: number;
  period_id: number;
  sent_at: string;
  sent_by: number | null;
}

export interface ReportItemTable {
  id: Generated<number>;
  report_id: number;
  plan_item_id: number;
  progress: string;
  problems: string;
  next_steps: string;
  coordination: string;
  return_reason: string | null;
}

export interface ReportCommitmentTable {
  id: Generated<number>;
  report_id: number;
  source_item_id: number;
  outcome: "done" | "carried_over" | "dropped";
  note: string;
}

export interface ReportSnapshotTable {
  id: Generated<number>;
  report_id: number;
  approved_at: string;
  approved_by: number | null;
  snapshot_json: string;
}

export interface IndicatorTable {
  id: Generated<number>;
  code: string;
  plan_item_id: number;
  name_zh: string;
  name_en: string;
  unit: string;
  baseline_value: number;
  baseline_year: number;
  /** the target for the whole plan period, never derived from period targets */
  target_value: number;
  direction: "up" | "down";
  /** stock: a level (baseline + what was added); flow: a quantity counted over the plan period */
  measure: "stock" | "flow";
  source: "computed" | "entered";
  /** the measure of a computed indicator: count | sum_participants | sum_delegations | sum_funding */
  computation: string | null;
  /** JSON, versioned (app/schemas/indicator-counting.ts): which activities a computed indicator counts */
  counting_json: string | null;
  created_at: string;
}

export interface IndicatorPeriodTargetTable {
  indicator_id: number;
  period_id: number;
  target_value: number;
}

export interface IndicatorValueTable {
  id: Generated<number>;
  indicator_id: number;
  period_id: number;
  organization_id: number;
  value: number;
  source_note: string;
  entered_by: number | null;
  entered_at: string;
}

export type Rating = "green" | "yellow" | "red";

export interface PlanItemRatingTable {
  id: Generated<number>;
  period_id: number;
  plan_item_id: number;
  rating: Rating;
  proposed_rating: Rating;
  proposal_json: string;
  comment: string;
  override_reason: string;
  rated_by: number | null;
  rated_at: string;
}

/** An uploaded spreadsheet between its preview and its import: parsed once, owned by the uploader, expiring. */
export interface ActivityImportTable {
  id: Generated<number>;
  user_id: number;
  file_name: string;
  file_sha256: string;
  file_size_bytes: number;
  sheet_name: string;
  /** the sheet row (as Excel numbers it) holding the column headers */
  header_row: number;
  /** JSON: the header cells as written, left to right */
  headers_json: string;
  /** JSON: messages about the file as a whole (ignored columns, skipped total rows) */
  notes_json: string;
  row_count: number;
  status: "previewed" | "imported";
  /** JSON: what the import wrote */
  result_json: string | null;
  created_at: string;
  expires_at: string;
  imported_at: string | null;
  /** the job reading the file: queued → reading → checking → ready (or failed) → imported */
  state: ImportJobState;
  rows_read: number | null;
  rows_estimate: number | null;
  /** JSON { key, params }: why the file was refused or the job failed, translated on the page */
  refusal_json: string | null;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** touched every few seconds by the instance running the job; a stale one means that instance is gone */
  heartbeat_at: string | null;
  /** the uploaded file until the job has read it */
  file_bytes: Buffer | null;
}

export type ImportJobState = "queued" | "reading" | "checking" | "ready" | "failed" | "imported";

/** One sheet row of an import's preview. */
export interface ImportRowTable {
  import_id: number;
  /** the row number Excel shows */
  sheet_row: number;
  /** what the preview's filters ask */
  outcome: "ok" | "warning" | "error";
  status: "ready" | "error" | "present" | "repeated" | "imported";
  title: string;
  /** JSON: the activity form's values, as a user would have typed them */
  values_json: string;
  /** JSON: { parse: { errors, warnings }, rules: { errors, warnings } } */
  messages_json: string;
  /** JSON: the row's cells as read, for the failed-rows workbook */
  raw_json: string;
  fingerprint: string | null;
  /**
   * JSON: the ActivityInput of a row the rules let through at preview (status ready), so the import re-checks only
   * what the database may change; null for other rows and for previews stored before it was kept
   */
  input_json: string | null;
}

export interface Database {
  plan_items: PlanItemTable;
  priority_areas: PriorityAreaTable;
  plan_item_priority_areas: PlanItemPriorityAreaTable;
  organizations: OrganizationTable;
  users: UserTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  activities: ActivityTable;
  activity_plan_items: ActivityPlanItemTable;
  activity_countries: ActivityCountryTable;
  activity_evidence: ActivityEvidenceTable;
  evidence_files: EvidenceFileTable;
  evidence_file_contents: EvidenceFileContentTable;
  activity_partners: ActivityPartnerTable;
  duplicate_dismissals: DuplicateDismissalTable;
  counterparts: CounterpartTable;
  counterpart_aliases: CounterpartAliasTable;
  activity_counterparts: ActivityCounterpartTable;
  sister_cities: SisterCityTable;
  audit_log: AuditLogTable;
  reporting_periods: ReportingPeriodTable;
  period_reports: PeriodReportTable;
  report_items: ReportItemTable;
  report_commitments: ReportCommitmentTable;
  report_snapshots: ReportSnapshotTable;
  report_reminders: ReportReminderTable;
  indicators: IndicatorTable;
  indicator_period_targets: IndicatorPeriodTargetTable;
  indicator_values: IndicatorValueTable;
  plan_item_ratings: PlanItemRatingTable;
  activity_imports: ActivityImportTable;
  import_rows: ImportRowTable;
  activity_totals: ActivityTotalsTable;
  activity_type_totals: ActivityTypeTotalsTable;
  import_locks: ImportLockTable;
  plan_shape_version: PlanShapeVersionTable;
}

export type PlanItem = Selectable<PlanItemTable>;
export type Organization = Selectable<OrganizationTable>;
export type User = Selectable<UserTable>;
export type Activity = Selectable<ActivityTable>;
export type NewActivity = Insertable<ActivityTable>;
export type ActivityUpdate = Updateable<ActivityTable>;
export type AuditLogEntry = Selectable<AuditLogTable>;
export type Counterpart = Selectable<CounterpartTable>;
export type SisterCity = Selectable<SisterCityTable>;
