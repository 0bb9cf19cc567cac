// Seeds the plan, the units, the reporting periods and the indicators, and — where demo data is wanted — the demo
// users and the demo ledger. Idempotent: rows are found by their code or seed key and only inserted when missing,
// so running it again changes nothing and never touches user edits.
// `npm run db:seed` seeds the database named by DATABASE_URL (PostgreSQL) or else DATABASE_PATH (SQLite). The demo
// users share a published password, so a deployment never gets them unless asked (`wantsDemo`); it creates its
// first administrator with `npm run user:create-admin` instead.
import { pathToFileURL } from "node:url";
import type { DB } from "~/utils/db.server";
import { createActivity } from "~/models/activity.server";
import { loadCounterpartMatcher } from "~/models/counterpart.server";
import { generatePeriods } from "~/models/reporting-period.server";
import { createUser } from "~/models/user.server";
import { hashPassword } from "~/utils/password.server";
import { wanTextToFen } from "~/utils/money";
import { demoActivities } from "./data/activities";
import { organizations } from "./data/organizations";
import { planNodes, priorityAreas } from "./data/plan";
import { DEMO_PASSWORD, demoUsers } from "./data/users";
import { seedCounterparts } from "./counterparts";
import { seedDemoReports } from "./demo-reports";
import { seedIndicators } from "./indicators";
import { seedSisterCities } from "./sister-cities";

async function seedPlan(db: DB) {
  const existing = new Map(
    (await db.selectFrom("plan_items").select(["id", "code", "path"]).execute()).map((r) => [r.code, r]),
  );
  for (const [index, node] of planNodes.entries()) {
    const parent = node.parentCode ? existing.get(node.parentCode) : undefined;
    if (node.parentCode && !parent) throw new Error(`plan node ${node.code}: parent ${node.parentCode} missing`);
    const path = `${parent?.path ?? "/"}${node.code}/`;
    // The plan text is reference data owned by the seed: corrections to it reach existing databases.
    const values = {
      parent_id: parent?.id ?? null,
      path,
      depth: path.split("/").filter(Boolean).length - 1,
      kind: node.kind,
      title_zh: node.titleZh,
      title_en: node.titleEn,
      title_en_official: node.titleEnOfficial ? 1 : 0,
      text_zh: node.textZh,
      text_en: node.textEn,
      loggable: node.loggable ? 1 : 0,
      sort_order: index,
    };
    const row = existing.get(node.code);
    if (row) {
      await db.updateTable("plan_items").set(values).where("id", "=", row.id).execute();
    } else {
      const { id } = await db
        .insertInto("plan_items")
        .values({ code: node.code, ...values })
        .returning("id")
        .executeTakeFirstOrThrow();
      existing.set(node.code, { id, code: node.code, path });
    }
  }
  for (const [index, area] of priorityAreas.entries()) {
    let row = await db.selectFrom("priority_areas").select("id").where("code", "=", area.code).executeTakeFirst();
    if (!row) {
      row = await db
        .insertInto("priority_areas")
        .values({ code: area.code, name_zh: area.nameZh, name_en: area.nameEn, sort_order: index })
        .returning("id")
        .executeTakeFirstOrThrow();
    }
    for (const code of area.planCodes) {
      const item = existing.get(code);
      if (!item) throw new Error(`priority area ${area.code}: plan item ${code} missing`);
      const linked = await db
        .selectFrom("plan_item_priority_areas")
        .select("plan_item_id")
        .where("plan_item_id", "=", item.id)
        .where("priority_area_id", "=", row.id)
        .executeTakeFirst();
      if (!linked) {
        await db.insertInto("plan_item_priority_areas").values({ plan_item_id: item.id, priority_area_id: row.id }).execute();
      }
    }
  }
}

async function seedOrganizations(db: DB) {
  const existing = new Map(
    (await db.selectFrom("organizations").select(["id", "code", "path"]).execute()).map((r) => [r.code, r]),
  );
  for (const [index, org] of organizations.entries()) {
    if (existing.has(org.code)) continue;
    const parent = org.parentCode ? existing.get(org.parentCode) : undefined;
    if (org.parentCode && !parent) throw new Error(`unit ${org.code}: parent ${org.parentCode} missing`);
    const { id } = await db
      .insertInto("organizations")
      .values({
        code: org.code,
        parent_id: parent?.id ?? null,
        path: "/",
        kind: org.kind,
        name_zh: org.nameZh,
        name_en: org.nameEn,
        country_code: org.countryCode,
        sort_order: index,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const path = `${parent?.path ?? "/"}${id}/`;
    await db.updateTable("organizations").set({ path }).where("id", "=", id).execute();
    existing.set(org.code, { id, code: org.code, path });
  }
}

async function organizationIdByCode(db: DB, code: string): Promise<number> {
  const row = await db.selectFrom("organizations").select("id").where("code", "=", code).executeTakeFirst();
  if (!row) throw new Error(`unknown unit ${code}`);
  return row.id;
}

async function seedUsers(db: DB) {
  for (const user of demoUsers) {
    const exists = await db.selectFrom("users").select("id").where("username", "=", user.username).executeTakeFirst();
    if (exists) continue;
    await createUser(db, {
      username: user.username,
      displayName: user.displayName,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: user.role,
      organizationId: await organizationIdByCode(db, user.organizationCode),
    });
  }
}

async function seedDemoActivities(db: DB) {
  const planIds = new Map((await db.selectFrom("plan_items").select(["id", "code"]).execute()).map((r) => [r.code, r.id]));
  const seeded = new Set(
    (await db.selectFrom("activities").select("seed_key").where("seed_key", "is not", null).execute()).map((r) => r.seed_key),
  );
  // linked to the registered bodies their text names; the seed registers no new body
  const register = await loadCounterpartMatcher(db);
  for (const a of demoActivities) {
    if (seeded.has(a.key)) continue;
    const planId = (code: string) => {
      const id = planIds.get(code);
      if (id === undefined) throw new Error(`demo activity ${a.key}: unknown plan item ${code}`);
      return id;
    };
    await createActivity(
      db,
      {
        organizationId: await organizationIdByCode(db, a.organizationCode),
        title: a.title,
        type: a.type,
        startDate: a.startDate,
        endDate: a.endDate,
        status: a.status,
        primaryPlanItemId: planId(a.primaryPlanCode),
        otherPlanItemIds: a.otherPlanCodes.map(planId),
        countries: a.countries,
        counterpartBody: a.counterpartBody,
        location: a.location,
        delegationsCount: a.delegationsCount,
        participantsCount: a.participantsCount,
        fundingCnyFen: a.fundingWan === null ? null : wanTextToFen(a.fundingWan),
        fundingSource: a.fundingSource,
        outcome: a.outcome,
        evidence: a.evidence,
        partners: await Promise.all((a.partnerCodes ?? []).map(async (code) => ({ organizationId: await organizationIdByCode(db, code) }))),
        counterparts: register.resolveText(a.counterpartBody).flatMap((r) => (r.kind === "body" ? [{ id: r.id }] : [])),
      },
      null,
      { seedKey: a.key, action: "activity.seed" },
    );
  }
}

/**
 * Whether `npm run db:seed` adds the demo users and ledger: SEED_DEMO=true or false says so; otherwise only on the
 * embedded SQLite database outside production (a newcomer's `npm start`), never on a production instance or on
 * PostgreSQL, where the published demo password would open a real deployment.
 */
export function wantsDemo(environment: Record<string, string | undefined>): boolean {
  if (environment.SEED_DEMO === "true") return true;
  if (environment.SEED_DEMO === "false") return false;
  return environment.NODE_ENV !== "production" && !environment.DATABASE_URL;
}

/**
 * `demo`: the demo users (published password) and the demo ledger; `demoUsers` alone: the users without the
 * ledger, for benchmarks that generate their own activities.
 */
export async function seed(db: DB, options: { demo?: boolean; demoUsers?: boolean } = {}): Promise<void> {
  const demo = options.demo ?? true;
  await seedPlan(db);
  await seedOrganizations(db);
  await seedCounterparts(db);
  await seedSisterCities(db);
  if (options.demoUsers ?? demo) await seedUsers(db);
  // Half-year reporting for the whole plan, due 15 days after each half ends (generatePeriods skips existing ones).
  await generatePeriods(db, { kind: "half", fromYear: 2023, toYear: 2027, dueDays: 15 }, null);
  await seedIndicators(db);
  if (demo) {
    await seedDemoActivities(db);
    await seedDemoReports(db);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { db } = await import("~/utils/db.server");
  const before = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const demo = wantsDemo(process.env);
  await seed(db, { demo });
  const after = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  if (demo) {
    console.log(`seeded: plan, units, counterparts, sister cities, periods, indicators, demo users (password ${DEMO_PASSWORD}); activities ${Number(before.n)} → ${Number(after.n)}`);
  } else {
    const admins = await db.selectFrom("users").select("id").where("role", "=", "admin").where("disabled_at", "is", null).execute();
    console.log("seeded: plan, units, counterparts, sister cities, periods, indicators (no demo users, no demo ledger)");
    if (!admins.length) console.log("no administrator yet: create the first one with `npm run user:create-admin`");
  }
  await db.destroy();
}
