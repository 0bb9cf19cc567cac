// Seeds the sister-city register (seeds/data/sister-cities.ts). Idempotent: a relationship is found by its seed key
// (or by its unit and body, if someone entered it first) and only inserted when missing; one that exists is left as
// a person left it. The words each rests on go in its note.
import { createSisterCity } from "~/models/sister-city.server";
import type { DB } from "~/utils/db.server";
import { sisterCities } from "./data/sister-cities";

export async function seedSisterCities(db: DB): Promise<void> {
  const seeded = new Set(
    (await db.selectFrom("sister_cities").select("seed_key").where("seed_key", "is not", null).execute()).map((r) => r.seed_key),
  );
  const units = new Map((await db.selectFrom("organizations").select(["id", "code"]).execute()).map((r) => [r.code, r.id]));
  const bodies = new Map(
    (await db.selectFrom("counterparts").select(["id", "code", "merged_into"]).where("code", "is not", null).execute()).map((r) => [r.code!, r.merged_into ?? r.id]),
  );
  for (const s of sisterCities) {
    if (seeded.has(s.key)) continue;
    const organizationId = units.get(s.unitCode);
    const counterpartId = bodies.get(s.bodyCode);
    if (organizationId === undefined) throw new Error(`sister city ${s.key}: unknown unit ${s.unitCode}`);
    if (counterpartId === undefined) throw new Error(`sister city ${s.key}: unknown body ${s.bodyCode}`);
    await createSisterCity(
      db,
      {
        organizationId,
        counterpartId,
        seedKey: s.key,
        stage: s.stage,
        consensus_on: s.consensusOn ?? null,
        consensus_document: "",
        consensus_url: "",
        letter_of_intent_on: s.letterOfIntentOn ?? null,
        letter_of_intent_document: s.letterOfIntentDocument ?? "",
        letter_of_intent_url: "",
        established_on: s.establishedOn ?? null,
        established_document: s.establishedDocument ?? "",
        established_url: "",
        ended_on: null,
        note: s.source,
      },
      null,
    );
  }
}
