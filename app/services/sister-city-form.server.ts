// Between the sister-city forms and the model: the choices the forms offer, and submitted forms checked (schema,
// stages, dates, the unit and body, one pair per unit and body) and turned into the model's fields. Every problem
// with the input comes back as a field error (400); a unit the user may not manage is the caller's 403.
import { bodyFullName } from "~/domain/counterparts";
import { SISTER_CITY_BODY_LEVELS, SISTER_CITY_UNIT_KINDS } from "~/domain/sister-cities";
import { type Locale, localName } from "~/i18n";
import { inTreeOrder } from "~/models/organization.server";
import { type SisterCityStageFields, listSisterCityUnits } from "~/models/sister-city.server";
import { fieldErrors } from "~/schemas/activity";
import { repeatedFieldErrors } from "~/schemas/form";
import {
  type FieldErrors,
  formValues,
  sisterCityCreateSchema,
  sisterCityCrossErrors,
  sisterCityStageSchema,
  type SisterCityStageForm,
} from "~/schemas/sister-city";
import type { SessionUser } from "~/utils/auth.server";
import { countryName } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { canManageSisterCity } from "~/utils/permissions";

/** The units the user may add relationships for, and the bodies a relationship can be made with, by country. */
export async function sisterCityFormOptions(db: DB, user: SessionUser, locale: Locale) {
  const [units, bodies] = await Promise.all([
    listSisterCityUnits(db),
    db
      .selectFrom("counterparts")
      .select(["id", "country_code", "name_zh", "name_en"])
      .where("merged_into", "is", null)
      .where("level", "in", SISTER_CITY_BODY_LEVELS)
      .execute(),
  ]);
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  const byCountry = new Map<string, { id: number; name: string }[]>();
  for (const b of bodies) {
    const list = byCountry.get(b.country_code) ?? [];
    list.push({ id: b.id, name: bodyFullName(b, locale) });
    byCountry.set(b.country_code, list);
  }
  return {
    units: inTreeOrder(units.filter((u) => canManageSisterCity(user, { organization_path: u.path }))).map((u) => ({
      id: u.id,
      name: localName(locale, u.name_zh, u.name_en),
      depth: u.depth,
    })),
    bodies: [...byCountry.entries()]
      .map(([code, list]) => ({ country: countryName(code, locale), bodies: list.sort((a, b) => collator.compare(a.name, b.name)) }))
      .sort((a, b) => collator.compare(a.country, b.country)),
  };
}

/** The model's stage fields from a parsed form. */
function stageFields(v: SisterCityStageForm): SisterCityStageFields {
  return {
    stage: v.stage,
    consensus_on: v.consensus_on,
    consensus_document: v.consensus_document,
    consensus_url: v.consensus_url,
    letter_of_intent_on: v.letter_of_intent_on,
    letter_of_intent_document: v.letter_of_intent_document,
    letter_of_intent_url: v.letter_of_intent_url,
    established_on: v.established_on,
    established_document: v.established_document,
    established_url: v.established_url,
    ended_on: v.ended_on,
    note: v.note,
  };
}

export type ParsedStage = { ok: true; fields: SisterCityStageFields; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** A relationship's stage form. */
export function parseSisterCityStage(formData: FormData, today: string): ParsedStage {
  const values = formValues(formData, sisterCityStageSchema);
  const parsed = sisterCityStageSchema.safeParse(values);
  const errors: FieldErrors = {
    ...sisterCityCrossErrors(values, today),
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...repeatedFieldErrors(formData),
  };
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, fields: stageFields(parsed.data), values };
}

export type ParsedCreate =
  | { ok: true; input: { organizationId: number; counterpartId: number } & SisterCityStageFields; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> }
  | { ok: "forbidden" };

/** A new relationship: the stage form, and a unit of ours the user may manage and a body it can be made with. */
export async function parseSisterCityCreate(db: DB, formData: FormData, user: SessionUser, today: string): Promise<ParsedCreate> {
  const values = formValues(formData, sisterCityCreateSchema);
  values.ended_on = "";
  const parsed = sisterCityCreateSchema.safeParse(values);
  const errors: FieldErrors = {
    ...sisterCityCrossErrors(values, today),
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...repeatedFieldErrors(formData),
  };
  const unitId = Number(values.organization_id);
  const unit = Number.isSafeInteger(unitId) && unitId > 0
    ? await db.selectFrom("organizations").select(["id", "path", "kind"]).where("id", "=", unitId).executeTakeFirst()
    : undefined;
  if (!errors.organization_id && (!unit || !(SISTER_CITY_UNIT_KINDS as readonly string[]).includes(unit.kind))) {
    errors.organization_id = "sister_cities.errors.unit";
  }
  // a unit of ours that exists but is not the user's to manage: refused like any other forbidden write
  if (unit && !canManageSisterCity(user, { organization_path: unit.path })) return { ok: "forbidden" };
  const bodyId = Number(values.counterpart_id);
  const body = Number.isSafeInteger(bodyId) && bodyId > 0
    ? await db.selectFrom("counterparts").select(["id", "level", "merged_into"]).where("id", "=", bodyId).executeTakeFirst()
    : undefined;
  if (!errors.counterpart_id) {
    if (!body || body.merged_into !== null) errors.counterpart_id = "sister_cities.errors.body";
    else if (!(SISTER_CITY_BODY_LEVELS as readonly string[]).includes(body.level)) errors.counterpart_id = "sister_cities.errors.body_level";
  }
  if (unit && body && !errors.counterpart_id) {
    const existing = await db
      .selectFrom("sister_cities")
      .select("id")
      .where("organization_id", "=", unit.id)
      .where("counterpart_id", "=", body.id)
      .executeTakeFirst();
    if (existing) errors.counterpart_id = "sister_cities.errors.exists";
  }
  if (!parsed.success || Object.keys(errors).length || !unit || !body) return { ok: false, errors, values };
  return { ok: true, values, input: { organizationId: unit.id, counterpartId: body.id, ...stageFields(parsed.data) } };
}
