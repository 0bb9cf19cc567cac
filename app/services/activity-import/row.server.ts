// 4. A row: the activity form's values from its cells, and what was found on the way.
import { createHash } from "node:crypto";
import {
  type Parsed,
  type RawCell,
  countriesInBody,
  isBlank,
  parseCountries,
  parseCount,
  parseDateCell,
  parseDelegationsParticipants,
  parseFunding,
  rawText,
  splitList,
} from "~/domain/values";
import { parseStatus, parseType, typeFromTitle } from "~/domain/activity-labels.server";
import { type ActivityStatus, isoDateOk, splitDepartments } from "~/schemas/activity";
import type { ImportField, ImportMessage, ImportOutcome } from "~/schemas/activity-import";
import { notCountryMessage } from "~/utils/countries";
import { fenToWanText } from "~/utils/money";
import type { ActivityInput } from "~/models/activity.server";
import type { MatchContext } from "./matchers.server";
import type { SheetColumn } from "./sheet.server";

export type FormValues = Record<string, string | string[]>;

export interface ImportRow {
  /** the row number Excel shows */
  row: number;
  raw: RawCell[];
  /** the activity form's values, as a user would have typed them */
  values: FormValues;
  /** what reading the cells found; kept, while the rules below are checked again at import */
  parse: { errors: ImportMessage[]; warnings: ImportMessage[] };
  rules: { errors: ImportMessage[]; warnings: ImportMessage[] };
  outcome: ImportOutcome;
  fingerprint: string | null;
  /** the activity the rules let through (set by RowChecker.check), kept with a ready row for the import */
  input?: ActivityInput | null;
}

export const EMPTY_VALUES = (): FormValues => ({
  organization_id: "",
  title: "",
  type: "",
  start_date: "",
  end_date: "",
  status: "",
  primary_plan_item: "",
  plan_items: [],
  countries: [],
  counterpart_body: "",
  location: "",
  delegations_count: "",
  participants_count: "",
  funding_wan: "",
  funding_source: "",
  outcome: "",
  evidence_url: [],
  evidence_label: [],
  partner_units: [],
  partner_departments: "",
});

const URL_PATTERN = /https?:\/\/[^\s,，;；、<>"]+/gi;

export function normalizeRow(ctx: MatchContext, columns: SheetColumn[], source: { row: number; raw: RawCell[] }): ImportRow {
  const values = EMPTY_VALUES();
  const errors: ImportMessage[] = [];
  const warnings: ImportMessage[] = [];
  const columnOf = new Map<ImportField, string>();
  const cells = new Map<ImportField, RawCell>();
  let fundingUnit: "wan" | "yuan" = "wan";
  let combinedCounts: RawCell = null;
  let combinedCounterpart: RawCell = null;

  columns.forEach((column, i) => {
    const raw = source.raw[i] ?? null;
    if (column.target === "delegations_participants") {
      columnOf.set("delegations_count", column.header);
      columnOf.set("participants_count", column.header);
      combinedCounts = raw;
    } else if (column.target === "countries_counterpart") {
      columnOf.set("counterpart_body", column.header);
      if (!columnOf.has("countries")) columnOf.set("countries", column.header);
      combinedCounterpart = raw;
    } else if (column.target) {
      columnOf.set(column.target, column.header);
      cells.set(column.target, raw);
      if (column.target === "funding_wan" && column.unit) fundingUnit = column.unit;
    }
  });
  const at = (field: ImportField) => ({ field, column: columnOf.get(field) ?? null });
  const error = (field: ImportField, key: string, params?: ImportMessage["params"]) => errors.push({ ...at(field), key, params });
  const warn = (field: ImportField, key: string, params?: ImportMessage["params"]) => warnings.push({ ...at(field), key, params });
  const text = (field: ImportField) => rawText(cells.get(field) ?? null).trim();
  const excelError = (field: ImportField) => {
    const raw = cells.get(field);
    if (raw !== null && typeof raw === "object" && raw !== undefined && "e" in raw) {
      error(field, "imports.error.cell_error", { value: raw.e });
      return true;
    }
    return false;
  };

  // Plain text fields go to the form's rules as written (trimmed by them): HTML, length and hidden characters.
  for (const field of ["title", "counterpart_body", "location", "funding_source", "outcome"] as const) {
    if (!excelError(field)) values[field] = rawText(cells.get(field) ?? null);
  }
  if (combinedCounterpart !== null && !isBlank(combinedCounterpart)) {
    const body = rawText(combinedCounterpart).trim();
    if (!String(values.counterpart_body).trim()) values.counterpart_body = body;
    if (!cells.has("countries") || isBlank(cells.get("countries")!)) {
      const implied = countriesInBody(body);
      if (implied.length) {
        values.countries = implied;
        warn("countries", "imports.warn.country_from_body", { value: body, countries: implied.join("、") });
      }
    }
  }

  // Type: a label in either language; blank → guessed from the title, with a warning.
  if (!excelError("type")) {
    const typeText = text("type");
    if (typeText) {
      const type = parseType(typeText);
      if (type) values.type = type;
      else error("type", "imports.error.type_unknown", { value: typeText });
    } else {
      const guess = typeFromTitle(String(values.title));
      if (guess) {
        values.type = guess;
        warn("type", "imports.warn.type_inferred", { type_key: `activity.type.${guess}` });
      } else error("type", "errors.required");
    }
  }

  // Dates.
  const startRaw = cells.get("start_date") ?? null;
  let rangeEnd: string | undefined;
  let startOk = false;
  if (!excelError("start_date")) {
    if (isBlank(startRaw)) error("start_date", "errors.required");
    else {
      const parsed = parseDateCell(startRaw);
      if (parsed.ok) {
        values.start_date = parsed.value.start;
        rangeEnd = parsed.value.end;
        startOk = true;
        if (parsed.warning) warnings.push({ ...at("start_date"), ...parsed.warning });
      } else error("start_date", parsed.key, parsed.params);
    }
  }
  const endRaw = cells.get("end_date") ?? null;
  if (!excelError("end_date")) {
    if (!isBlank(endRaw)) {
      const parsed = parseDateCell(endRaw);
      if (parsed.ok) {
        values.end_date = parsed.value.end ?? parsed.value.start;
        if (parsed.warning) warnings.push({ ...at("end_date"), ...parsed.warning });
      } else error("end_date", parsed.key, parsed.params);
    } else if (rangeEnd) {
      values.end_date = rangeEnd;
    } else if (startOk) {
      values.end_date = values.start_date as string;
      warn("end_date", "imports.warn.end_from_start", { date: values.start_date as string });
    }
  }

  // Status: a label; blank → from the dates, with a warning.
  if (!excelError("status")) {
    const statusText = text("status");
    if (statusText) {
      const status = parseStatus(statusText);
      if (status) values.status = status;
      else error("status", "imports.error.status_unknown", { value: statusText });
    } else if (startOk && isoDateOk(String(values.end_date))) {
      const status: ActivityStatus =
        String(values.end_date) < ctx.today ? "completed" : String(values.start_date) > ctx.today ? "planned" : "ongoing";
      values.status = status;
      warn("status", "imports.warn.status_inferred", { status_key: `activity.status.${status}` });
    } else error("status", "errors.required");
  }

  // Plan items.
  const others: string[] = [];
  if (!excelError("primary_plan_item")) {
    const primaryText = text("primary_plan_item");
    if (!primaryText) error("primary_plan_item", "errors.required");
    else {
      const strict = ctx.plan.strict(primaryText);
      const list = strict ? null : splitList(primaryText, (p) => ctx.plan.strict(p));
      if (strict) values.primary_plan_item = strict.code;
      else if (list && list.found.length >= 2 && list.unknown.length === 0) {
        values.primary_plan_item = list.found[0]!.code;
        others.push(...list.found.slice(1).map((p) => p.code));
        warn("primary_plan_item", "imports.warn.primary_several", { value: primaryText, code: list.found[0]!.code });
      } else {
        const loose = ctx.plan.loose(primaryText);
        if (loose && "item" in loose) {
          values.primary_plan_item = loose.item.code;
          warn("primary_plan_item", "imports.warn.plan_item_loose", {
            value: primaryText,
            item_zh: `${loose.item.code} ${loose.item.title_zh}`,
            item_en: `${loose.item.code} ${loose.item.title_en}`,
          });
        } else if (loose && "ambiguous" in loose) {
          error("primary_plan_item", "imports.error.plan_item_ambiguous", {
            value: primaryText,
            candidates: loose.ambiguous.map((p) => p.code).join(", "),
          });
        } else error("primary_plan_item", "imports.error.plan_item_unknown", { value: primaryText });
      }
    }
  }
  if (!excelError("plan_items")) {
    const otherText = text("plan_items");
    if (otherText) {
      const list = splitList(otherText, (p) => ctx.plan.strict(p));
      others.push(...list.found.map((p) => p.code));
      for (const piece of list.unknown) {
        const loose = ctx.plan.loose(piece);
        if (loose && "item" in loose) {
          others.push(loose.item.code);
          warn("plan_items", "imports.warn.plan_item_loose", {
            value: piece,
            item_zh: `${loose.item.code} ${loose.item.title_zh}`,
            item_en: `${loose.item.code} ${loose.item.title_en}`,
          });
        } else if (loose && "ambiguous" in loose) {
          error("plan_items", "imports.error.plan_item_ambiguous", { value: piece, candidates: loose.ambiguous.map((p) => p.code).join(", ") });
        } else error("plan_items", "imports.error.plan_item_unknown", { value: piece });
      }
    }
  }
  values.plan_items = [...new Set(others)].filter((code) => code !== values.primary_plan_item);

  // Countries.
  if (!excelError("countries")) {
    const countryText = text("countries");
    if (countryText) {
      const parsed = parseCountries(countryText);
      values.countries = parsed.codes;
      for (const piece of parsed.unknown) error("countries", "imports.error.country_unknown", { value: piece });
      for (const code of parsed.refused) error("countries", notCountryMessage(code));
      if (parsed.mekong) warn("countries", "imports.warn.mekong", { value: countryText });
    }
  }

  // Counts.
  const setCount = (field: "delegations_count" | "participants_count", parsed: Parsed<number> | undefined) => {
    if (!parsed) return;
    if (parsed.ok) {
      values[field] = String(parsed.value);
      if (parsed.warning) warnings.push({ ...at(field), ...parsed.warning });
    } else error(field, parsed.key, parsed.params);
  };
  for (const field of ["delegations_count", "participants_count"] as const) {
    if (!excelError(field) && !isBlank(cells.get(field) ?? null)) setCount(field, parseCount(cells.get(field)!));
  }
  if (combinedCounts !== null && !isBlank(combinedCounts)) {
    const both = parseDelegationsParticipants(combinedCounts);
    if (!values.delegations_count) setCount("delegations_count", both.delegations);
    if (!values.participants_count) setCount("participants_count", both.participants);
  }

  // Funding.
  if (!excelError("funding_wan") && !isBlank(cells.get("funding_wan") ?? null)) {
    const parsed = parseFunding(cells.get("funding_wan")!, fundingUnit);
    if (parsed.ok) {
      values.funding_wan = fenToWanText(parsed.value);
      if (parsed.warning) warnings.push({ ...at("funding_wan"), ...parsed.warning });
    } else error("funding_wan", parsed.key, parsed.params);
  }

  // Evidence: hyperlinks and the http(s) links in the text; other text cannot be kept as a link.
  const evidenceRaw = cells.get("evidence") ?? null;
  if (!excelError("evidence") && !isBlank(evidenceRaw)) {
    const urls: string[] = [];
    const labels: string[] = [];
    if (evidenceRaw !== null && typeof evidenceRaw === "object" && "u" in evidenceRaw && /^https?:\/\//i.test(evidenceRaw.u)) {
      urls.push(evidenceRaw.u);
      labels.push(evidenceRaw.t && evidenceRaw.t !== evidenceRaw.u && !/^https?:\/\//i.test(evidenceRaw.t) ? evidenceRaw.t.trim() : "");
    } else {
      const all = rawText(evidenceRaw);
      const found = all.match(URL_PATTERN) ?? [];
      const rest = all.replace(URL_PATTERN, " ").replace(/[\s,，;；、]+/g, " ").trim();
      for (const url of found) {
        urls.push(url);
        labels.push(found.length === 1 ? rest : "");
      }
      if (found.length === 0) warn("evidence", "imports.warn.evidence_not_link", { value: all.trim() });
    }
    values.evidence_url = urls;
    values.evidence_label = labels;
  }

  // Unit: a name or short form; blank → the user's own unit, with a warning.
  if (!excelError("organization")) {
    const unitText = text("organization");
    if (!unitText) {
      values.organization_id = String(ctx.user.organization_id);
      warn("organization", "imports.warn.unit_default", { unit_zh: ctx.user.organization_name_zh, unit_en: ctx.user.organization_name_en });
    } else {
      const match = ctx.units.match(unitText);
      if (match && "unit" in match) {
        values.organization_id = String(match.unit.id);
        if (match.loose) warn("organization", "imports.warn.unit_loose", { value: unitText, unit_zh: match.unit.name_zh, unit_en: match.unit.name_en });
      } else if (match && "ambiguous" in match) {
        error("organization", "imports.error.unit_ambiguous", { value: unitText, candidates: match.ambiguous.map((u) => u.name_zh).join("、") });
      } else error("organization", "imports.error.unit_unknown", { value: unitText });
    }
  }

  // 配合单位: names of units of the tree become those units, other names are departments
  if (!excelError("partners")) {
    const unitIds: string[] = [];
    const departments: string[] = [];
    for (const name of splitDepartments(text("partners"))) {
      const match = ctx.units.match(name);
      if (match && "unit" in match && match.unit.kind !== "foreign_body") unitIds.push(String(match.unit.id));
      else departments.push(name);
    }
    values.partner_units = unitIds;
    values.partner_departments = departments.join("、");
  }

  return {
    row: source.row,
    raw: source.raw,
    values,
    parse: { errors, warnings },
    rules: { errors: [], warnings: [] },
    outcome: errors.length ? "error" : "ready",
    fingerprint: null,
  };
}

/** unit + title + start date + type, normalised (width, case, spaces, quotes), hashed. */
export function activityFingerprint(organizationId: number, title: string, startDate: string, type: string): string {
  const normalTitle = title.normalize("NFKC").toLowerCase().replace(/[\s《》“”"'‘’「」]/g, "");
  return createHash("sha256").update(`${organizationId}\u0001${normalTitle}\u0001${startDate}\u0001${type}`).digest("hex");
}
