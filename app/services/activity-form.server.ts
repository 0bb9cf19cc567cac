// Between the activity form and the ledger: the options the form offers the acting user, and the submitted
// form checked (schema, plan items, the user's right to the chosen unit) and turned into an ActivityInput.
import type { ActivityDetail, ActivityInput } from "~/models/activity.server";
import { counterpartChoices, resolveFormCounterparts } from "~/services/counterpart-form.server";
import { type CounterpartQuestion, QUESTION_FIELDS } from "~/schemas/counterpart";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { ARRAY_FIELDS, activityFormValues, checkActivityForm, crossFieldErrors } from "~/schemas/activity";
import { type FieldErrors, repeatedFieldErrors } from "~/schemas/form";
import type { ActivityFormOptions, ActivityFormValues } from "~/components/ActivityForm";
import type { Locale } from "~/i18n";
import { type SessionUser, forbidden, withinUnit } from "~/utils/auth.server";
import { isCountryCode, orderedCountries } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { fenToWanText } from "~/utils/money";
import { PLAN_ITEM_WORDS, SUGGESTED_ITEMS_BY_TYPE } from "../../seeds/data/plan-words";

export async function activityFormOptions(db: DB, user: SessionUser, locale: Locale): Promise<ActivityFormOptions> {
  const [organizations, planItems, counterparts] = await Promise.all([listOrganizations(db), listPlanItems(db), counterpartChoices(db, locale)]);
  const ownCountry = organizations.find((o) => o.id === user.organization_id)?.country_code;
  return {
    units: organizations
      .filter((o) => withinUnit(user, o.path))
      .map((o) => ({
        id: o.id,
        name_zh: o.name_zh,
        name_en: o.name_en,
        depth: organizationDepth(o.path) - organizationDepth(user.organization_path),
      })),
    planItems: planItems
      .filter((p) => p.code.startsWith("4") || p.code.startsWith("5"))
      .map((p) => ({
        code: p.code,
        title_zh: p.title_zh,
        title_en: p.title_en,
        depth: p.depth - 1,
        loggable: p.loggable === 1,
        text: p.loggable === 1 ? `${p.text_zh} ${p.text_en}`.toLowerCase() : "",
        words: [...(PLAN_ITEM_WORDS[p.code] ?? [])],
      })),
    suggestedItems: SUGGESTED_ITEMS_BY_TYPE,
    countries: orderedCountries(locale),
    partnerUnits: organizations
      .filter((o) => isPartnerUnit(o, ownCountry))
      // indented by depth in the tree (a root, 云南省 or the secretariat, at 0: "\u3000".repeat(-1) would throw)
      .map((o) => ({ id: o.id, name_zh: o.name_zh, name_en: o.name_en, depth: organizationDepth(o.path) })),
    counterparts,
  };
}

/**
 * Who can be a 配合单位 from the tree: the units of the acting user's own country (a Chinese office names Chinese
 * units, a Lao office Lao ones), never a foreign counterpart body, which has its own field.
 */
function isPartnerUnit(o: { kind: string; country_code: string }, country: string | undefined): boolean {
  return o.kind !== "foreign_body" && (country === undefined || o.country_code === country);
}

/** The form's values for an existing activity. */
export function activityToFormValues(a: ActivityDetail): ActivityFormValues {
  return {
    organization_id: String(a.organization_id),
    title: a.title,
    type: a.type,
    status: a.status,
    start_date: a.start_date,
    end_date: a.end_date,
    primary_plan_item: a.planItems.find((p) => p.primary)?.code ?? "",
    plan_items: a.planItems.filter((p) => !p.primary).map((p) => p.code),
    countries: a.countries,
    counterpart_body: a.counterpart_body,
    location: a.location,
    delegations_count: a.delegations_count === null ? "" : String(a.delegations_count),
    participants_count: a.participants_count === null ? "" : String(a.participants_count),
    funding_wan: a.funding_cny_fen === null ? "" : fenToWanText(a.funding_cny_fen),
    funding_source: a.funding_source,
    outcome: a.outcome,
    evidence_url: a.evidence.map((e) => e.url),
    evidence_label: a.evidence.map((e) => e.label),
    partner_units: a.partners.flatMap((p) => (p.organization_id === null ? [] : [String(p.organization_id)])),
    partner_departments: a.partners.flatMap((p) => (p.organization_id === null ? [p.name_zh] : [])).join("、"),
  };
}

export type ParsedActivityForm =
  | { ok: true; input: ActivityInput; values: ActivityFormValues }
  | { ok: false; errors: FieldErrors; values: ActivityFormValues; questions: CounterpartQuestion[] };

/**
 * Checks a submitted form. Field problems come back as errors beside the fields (400), and so do the 对方机构
 * names the counterpart register does not know yet, as questions; a unit the user may not log for is not a field
 * problem but a forbidden request, so it throws 403. `previous` is the activity being edited.
 */
export async function parseActivityForm(
  db: DB,
  formData: FormData,
  user: SessionUser,
  previous?: Pick<ActivityDetail, "counterpart_body" | "counterparts">,
): Promise<ParsedActivityForm> {
  const values = activityFormValues(formData);
  const parsed = checkActivityForm(values);
  const errors: FieldErrors = {
    ...crossFieldErrors(values),
    ...(parsed.success ? {} : parsed.errors),
    ...repeatedFieldErrors(formData, [...ARRAY_FIELDS, QUESTION_FIELDS.name]),
  };

  const unitId = Number(values.organization_id);
  if (Number.isInteger(unitId) && unitId > 0) {
    const unit = await db.selectFrom("organizations").select("path").where("id", "=", unitId).executeTakeFirst();
    if (!unit || !withinUnit(user, unit.path)) throw forbidden();
  }

  const codes = [String(values.primary_plan_item ?? ""), ...(values.plan_items as string[])].filter(Boolean);
  const items = codes.length
    ? await db.selectFrom("plan_items").select(["id", "code", "loggable"]).where("code", "in", codes).execute()
    : [];
  const byCode = new Map(items.map((i) => [i.code, i]));
  const check = (field: "primary_plan_item" | "plan_items", code: string) => {
    const item = byCode.get(code);
    if (!item) errors[field] ??= "errors.plan_item";
    else if (item.loggable !== 1) errors[field] ??= "errors.plan_item_not_loggable";
  };
  if (values.primary_plan_item) check("primary_plan_item", String(values.primary_plan_item));
  for (const code of values.plan_items as string[]) check("plan_items", code);

  const partnerIds = parsed.success ? parsed.data.partner_units : [];
  if (partnerIds.length) {
    const [own, partners] = await Promise.all([
      db.selectFrom("organizations").select("country_code").where("id", "=", user.organization_id).executeTakeFirst(),
      db.selectFrom("organizations").select(["id", "kind", "country_code"]).where("id", "in", partnerIds).execute(),
    ]);
    if (partners.length !== new Set(partnerIds).size || !partners.every((p) => isPartnerUnit(p, own?.country_code))) {
      errors.partner_units ??= "errors.partner_unit";
    }
  }

  const counterparts =
    parsed.success || !errors.counterpart_body
      ? await resolveFormCounterparts(db, user, String(values.counterpart_body ?? "").trim(), formData, {
          countries: (values.countries as string[]).filter(isCountryCode),
          previous: previous && { text: previous.counterpart_body, counterpartIds: previous.counterparts.map((c) => c.id) },
        })
      : { refs: [], questions: [] };
  if (counterparts.questions.length) errors.counterpart_body ??= "counterparts.form.unresolved";

  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values, questions: counterparts.questions };

  const v = parsed.data;
  const evidence = v.evidence_url
    .map((url, i) => ({ url, label: v.evidence_label[i] ?? "" }))
    .filter((e) => e.url !== "");
  return {
    ok: true,
    values,
    input: {
      organizationId: v.organization_id,
      title: v.title,
      type: v.type,
      startDate: v.start_date,
      endDate: v.end_date,
      status: v.status,
      primaryPlanItemId: byCode.get(v.primary_plan_item)!.id,
      otherPlanItemIds: v.plan_items.map((code) => byCode.get(code)!.id),
      countries: v.countries,
      counterpartBody: v.counterpart_body,
      location: v.location,
      delegationsCount: v.delegations_count,
      participantsCount: v.participants_count,
      fundingCnyFen: v.funding_wan,
      fundingSource: v.funding_source,
      outcome: v.outcome,
      evidence,
      partners: [
        ...v.partner_units.map((organizationId) => ({ organizationId })),
        ...v.partner_departments.map((name) => ({ name })),
      ],
      counterparts: counterparts.refs,
    },
  };
}

/**
 * Enter pressed in the form without JavaScript "presses" its default button (intent=search): the answer is the
 * form again as it was filled in, its plan items searched for what the search box holds, nothing saved. Null when
 * the form was sent to be saved.
 */
export function searchOnly(formData: FormData): ActivityFormValues | null {
  if (formData.get("intent") !== "search") return null;
  const query = formData.get("plan_query");
  return { ...activityFormValues(formData), plan_query: typeof query === "string" ? query.slice(0, 100) : "" };
}

/**
 * The values a new activity's form starts from: a copy of an existing activity ("copy as new": everything but its
 * evidence, for the user's own unit when the original is another's), the unit, type and status of the one just
 * saved ("save and log another"), or the user's unit alone.
 */
export function newActivityValues(
  user: SessionUser,
  from: { copy: ActivityDetail | null; after: ActivityDetail | null; item: string },
): ActivityFormValues {
  const ownUnit = (a: ActivityDetail) => (withinUnit(user, a.organization_path) ? String(a.organization_id) : String(user.organization_id));
  if (from.copy) {
    const values = activityToFormValues(from.copy);
    return { ...values, organization_id: ownUnit(from.copy), evidence_url: [], evidence_label: [] };
  }
  if (from.after) {
    return { organization_id: ownUnit(from.after), type: from.after.type, status: from.after.status, primary_plan_item: from.item };
  }
  return { organization_id: String(user.organization_id), primary_plan_item: from.item, status: "completed" };
}
