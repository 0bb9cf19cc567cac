// A deterministic ledger for benchmarks: a fresh database migrated with the real migrations and seeded with
// the real plan, units, users and periods (no demo rows) plus generated counties up to ~200 units, then N activities drawn with a seeded PRNG against the
// real loggable plan items and the real prefecture and county units. The same seed and count always give the same
// rows, on either database:
// - SQLite (a file path): the file is recreated; rows go in with better-sqlite3 prepared statements in one
//   transaction.
// - PostgreSQL (a postgres:// URL): the database's public schema is dropped and recreated (so point it at a
//   database made for the benchmark); rows go in as multi-row INSERTs of a few thousand rows each.
//
//   npx tsx bench/generate.ts <path or postgres:// URL> [count]     e.g. DATABASE_URL=… npx tsx bench/generate.ts "$DATABASE_URL" 100000
//
// Set process.env.DATABASE_PATH to the file before importing this module when the app's own `db` must be the
// generated database (the app opens DATABASE_PATH when ~/utils/db.server is first imported).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { type DB, createDatabase, isPostgresUrl } from "../app/utils/db.server";
import { migrateToLatest } from "../db/migrate";
import { seed } from "../seeds/seed";
import { rebuildTotals } from "../app/models/activity-totals.server";
import { rebuildSearchIndex } from "../app/models/activity-search.server";

/** mulberry32: small, fast and good enough to spread test data; the same seed gives the same sequence. */
export function prng(seedValue: number) {
  let a = seedValue >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}

const TYPES = ["outbound_visit", "inbound_visit", "meeting", "agreement", "sister_city", "aid_project", "training", "festival", "other"] as const;
const STATUSES: [string, number][] = [["completed", 0.6], ["ongoing", 0.15], ["planned", 0.2], ["cancelled", 0.05]];
const VERBS: Record<(typeof TYPES)[number], string> = {
  outbound_visit: "赴{place}开展{topic}交流访问",
  inbound_visit: "接待{place}代表团来访，就{topic}进行会谈",
  meeting: "举办{topic}合作论坛，邀请{place}参加",
  agreement: "与{place}签署{topic}合作备忘录",
  sister_city: "推进与{place}缔结友好城市关系",
  aid_project: "向{place}援建{topic}民生项目",
  training: "为{place}举办{topic}培训班",
  festival: "与{place}共同举办{topic}文化交流活动",
  other: "与{place}开展{topic}合作",
};
const TOPICS = ["农业技术", "边境贸易", "医疗卫生", "教育", "旅游", "禁毒", "水资源", "数字经济", "青年", "媒体", "减贫", "生态环境保护", "职业技能", "跨境物流"];
const COUNTRIES = ["LA", "MM", "TH", "VN", "KH"] as const;
const PLACES: Record<(typeof COUNTRIES)[number], string[]> = {
  LA: ["老挝琅勃拉邦省", "老挝南塔省", "老挝乌多姆赛省", "老挝波乔省", "老挝丰沙里省", "老挝万象市"],
  MM: ["缅甸掸邦", "缅甸曼德勒省", "缅甸第四特区", "缅甸克钦邦"],
  TH: ["泰国清迈府", "泰国清莱府", "泰国难府", "泰国曼谷"],
  VN: ["越南老街省", "越南河江省", "越南莱州省", "越南奠边省"],
  KH: ["柬埔寨暹粒省", "柬埔寨金边市", "柬埔寨西哈努克省"],
};
const SOURCES = ["州级财政", "省级财政", "中央专项资金", "澜湄合作专项基金", "自筹", ""];

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface GeneratedDatabase {
  path: string;
  activities: number;
  units: number;
  planItems: number;
  ms: number;
  /** the time of the activities' transaction alone (drawing the rows and inserting them) */
  insertMs: number;
  /** the time of rebuilding the running totals from them */
  totalsMs: number;
}

/** Prefectures and counties together: Yunnan has 16 prefectures and 129 counties, and the ledger is kept by ~200 units. */
export const GENERATED_UNITS = 200;

/** Adds generated counties under the seeded prefectures (round robin) until there are `target` prefectures and counties. */
async function addGeneratedCounties(db: ReturnType<typeof createDatabase>, target: number): Promise<void> {
  const prefectures = await db.selectFrom("organizations").select(["id", "code", "path", "name_zh", "name_en"]).where("kind", "=", "prefecture").orderBy("id").execute();
  const { n } = await db.selectFrom("organizations").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "in", ["prefecture", "county"]).executeTakeFirstOrThrow();
  for (let i = 0; i < target - Number(n); i++) {
    const parent = prefectures[i % prefectures.length]!;
    const k = Math.floor(i / prefectures.length) + 1;
    const { id } = await db
      .insertInto("organizations")
      .values({ code: `${parent.code}-g${k}`, parent_id: parent.id, path: "/", kind: "county", name_zh: `${parent.name_zh}第${k}县`, name_en: `${parent.name_en} county ${k}`, country_code: "CN", sort_order: 1000 + i })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.updateTable("organizations").set({ path: `${parent.path}${id}/` }).where("id", "=", id).execute();
  }
}

interface GeneratedActivity {
  activity: {
    id: number;
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
    version: number;
    seed_key: null;
    created_by: number;
    updated_by: number;
    created_at: string;
    updated_at: string;
  };
  links: { activity_id: number; plan_item_id: number; is_primary: number }[];
  countries: { activity_id: number; country_code: string }[];
  evidence: { activity_id: number; url: string; label: string; sort_order: number }[];
}

/** Draws the activities one by one (always in the same order for a seed), handing each to `emit`. */
function drawActivities(
  count: number,
  seedValue: number,
  units: { id: number; name_zh: string }[],
  items: { id: number }[],
  reporterId: number,
  emit: (row: GeneratedActivity) => void,
): void {
  const random = prng(seedValue);
  const startDay = Date.UTC(2023, 0, 1);
  const days = (Date.UTC(2027, 11, 31) - startDay) / 86_400_000;
  for (let id = 1; id <= count; id++) {
    const unit = random.pick(units);
    const type = random.pick(TYPES);
    const country = random.pick(COUNTRIES);
    const place = random.pick(PLACES[country]);
    const topic = random.pick(TOPICS);
    let roll = random.next();
    const status = STATUSES.find(([, p]) => (roll -= p) < 0)?.[0] ?? "completed";
    const start = new Date(startDay + random.int(0, days) * 86_400_000).toISOString().slice(0, 10);
    const end = addDays(start, random.int(0, 6));
    const visit = type === "outbound_visit" || type === "inbound_visit";
    // a few titles that a spreadsheet would read as formulas, to keep that path hot
    const title = `${id % 997 === 0 ? "=" : ""}${unit.name_zh}${VERBS[type].replace("{place}", place).replace("{topic}", topic)}（${id}）`;
    const outcome = status === "completed" ? `${place}${topic}合作取得实效：签署会议纪要${random.int(1, 3)}份，参与人员${random.int(10, 300)}人次，形成后续合作清单${random.int(2, 9)}项。` : "";
    const funded = random.chance(0.4);
    const row: GeneratedActivity = {
      activity: {
        id,
        organization_id: unit.id,
        title,
        type,
        start_date: start,
        end_date: end,
        status,
        counterpart_body: `${place}外事办公室`,
        location: visit && type === "outbound_visit" ? place : unit.name_zh,
        delegations_count: visit ? random.int(1, 3) : null,
        participants_count: visit || type === "training" ? random.int(3, 60) : null,
        funding_cny_fen: funded ? random.int(1, 50_000) * 10_000 : null,
        funding_source: funded ? random.pick(SOURCES) : "",
        outcome,
        version: 1,
        seed_key: null,
        created_by: reporterId,
        updated_by: reporterId,
        created_at: `${start}T08:00:00.000Z`,
        updated_at: `${start}T08:00:00.000Z`,
      },
      links: [],
      countries: [],
      evidence: [],
    };
    const primary = random.pick(items);
    row.links.push({ activity_id: id, plan_item_id: primary.id, is_primary: 1 });
    if (random.chance(0.3)) {
      const other = random.pick(items);
      if (other.id !== primary.id) row.links.push({ activity_id: id, plan_item_id: other.id, is_primary: 0 });
    }
    row.countries.push({ activity_id: id, country_code: country });
    if (random.chance(0.15)) {
      const second = random.pick(COUNTRIES);
      if (second !== country) row.countries.push({ activity_id: id, country_code: second });
    }
    for (let e = 0, n = random.int(0, 2); e < n; e++) {
      row.evidence.push({ activity_id: id, url: `https://example.org/evidence/${id}/${e + 1}`, label: e === 0 ? "新闻报道" : "", sort_order: e });
    }
    emit(row);
  }
}

/**
 * Creates (or recreates) the database at `location` — a SQLite file path or a postgres:// URL — with `count`
 * generated activities.
 */
export async function generateDatabase(location: string, count: number, seedValue = 20231): Promise<GeneratedDatabase> {
  const started = performance.now();
  const postgres = isPostgresUrl(location);
  if (postgres) {
    const admin = createDatabase(location, { poolSize: 1 });
    await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(admin);
    await sql`CREATE SCHEMA public`.execute(admin);
    await admin.destroy();
  } else {
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(location + suffix)) rmSync(location + suffix);
  }
  const db = createDatabase(location);
  let insertMs: number;
  await migrateToLatest(db);
  await seed(db, { demo: false, demoUsers: true });
  await addGeneratedCounties(db, GENERATED_UNITS);
  const units = await db.selectFrom("organizations").select(["id", "name_zh"]).where("kind", "in", ["prefecture", "county"]).orderBy("id").execute();
  const items = await db.selectFrom("plan_items").select(["id", "code"]).where("loggable", "=", 1).orderBy("sort_order").execute();
  const reporter = await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow();
  if (postgres) {
    try {
      insertMs = await fillPostgres(db, count, seedValue, units, items, reporter.id);
    } finally {
      await db.destroy();
    }
  } else {
    await db.destroy();
    insertMs = fillSqlite(location, count, seedValue, units, items, reporter.id);
  }
  // the running totals of what was inserted behind the model's back, as `npm run db:rebuild-totals` makes them
  const totalsStarted = performance.now();
  const filled = createDatabase(location);
  try {
    await rebuildTotals(filled);
    // and the search index of the rows, as the same command makes it
    await rebuildSearchIndex(filled);
  } finally {
    await filled.destroy();
  }
  const totalsMs = performance.now() - totalsStarted;
  return { path: location, activities: count, units: units.length, planItems: items.length, ms: performance.now() - started, insertMs, totalsMs };
}

/**
 * A generated SQLite ledger kept between benchmark runs in `dir`: reused when a file made from the same code exists
 * (the generator, the seeds and the migrations hashed into its name, with the count and seed), generated otherwise
 * (under a temporary name, renamed when complete, so a killed run leaves nothing to reuse). Older files of the same
 * count are removed: a million activities take 800 MB. The HTTP and dashboard benchmarks share them, so a million
 * activities are generated once per code change, not once per benchmark.
 */
export async function generatedLedger(dir: string, count: number, seedValue = 20231): Promise<GeneratedDatabase & { reused: boolean }> {
  const prefix = `ledger-${count}-${seedValue}-`;
  const path = join(dir, `${prefix}${codeVersion()}.db`);
  if (existsSync(path)) {
    const db = createDatabase(path);
    try {
      const activities = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const units = await db.selectFrom("organizations").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "in", ["prefecture", "county"]).executeTakeFirstOrThrow();
      const items = await db.selectFrom("plan_items").select((eb) => eb.fn.countAll<number>().as("n")).where("loggable", "=", 1).executeTakeFirstOrThrow();
      return { path, activities: Number(activities.n), units: Number(units.n), planItems: Number(items.n), ms: 0, insertMs: 0, totalsMs: 0, reused: true };
    } finally {
      await db.destroy();
    }
  }
  for (const old of readdirSync(dir).filter((f) => f.startsWith(prefix))) rmSync(join(dir, old));
  const partial = `${path}.partial`;
  const generated = await generateDatabase(partial, count, seedValue);
  for (const suffix of ["-wal", "-shm", ""]) if (existsSync(partial + suffix)) renameSync(partial + suffix, path + suffix);
  return { ...generated, path, reused: false };
}

/** A short hash of what the generated rows depend on: this file, the seeds and the migrations. */
function codeVersion(): string {
  const root = join(fileURLToPath(import.meta.url), "..", "..");
  const hash = createHash("sha256");
  const add = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true, recursive: true }).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
      if (entry.isFile()) hash.update(entry.name).update(readFileSync(join(entry.parentPath, entry.name)));
    }
  };
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  add("seeds");
  add("db/migrations");
  return hash.digest("hex").slice(0, 12);
}

function fillSqlite(path: string, count: number, seedValue: number, units: { id: number; name_zh: string }[], items: { id: number }[], reporterId: number): number {
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const insertActivity = sqlite.prepare(
    `INSERT INTO activities (id, organization_id, title, type, start_date, end_date, status, counterpart_body, location,
       delegations_count, participants_count, funding_cny_fen, funding_source, outcome, version, seed_key,
       created_by, updated_by, created_at, updated_at)
     VALUES (@id, @organization_id, @title, @type, @start_date, @end_date, @status, @counterpart_body, @location,
       @delegations_count, @participants_count, @funding_cny_fen, @funding_source, @outcome, @version, @seed_key,
       @created_by, @updated_by, @created_at, @updated_at)`,
  );
  const insertLink = sqlite.prepare("INSERT INTO activity_plan_items (activity_id, plan_item_id, is_primary) VALUES (@activity_id, @plan_item_id, @is_primary)");
  const insertCountry = sqlite.prepare("INSERT INTO activity_countries (activity_id, country_code) VALUES (@activity_id, @country_code)");
  const insertEvidence = sqlite.prepare("INSERT INTO activity_evidence (activity_id, url, label, sort_order) VALUES (@activity_id, @url, @label, @sort_order)");
  const insertAll = sqlite.transaction(() => {
    drawActivities(count, seedValue, units, items, reporterId, (row) => {
      insertActivity.run(row.activity);
      for (const link of row.links) insertLink.run(link);
      for (const country of row.countries) insertCountry.run(country);
      for (const evidence of row.evidence) insertEvidence.run(evidence);
    });
  });
  const insertStarted = performance.now();
  insertAll();
  const insertMs = performance.now() - insertStarted;
  sqlite.exec("ANALYZE");
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  return insertMs;
}

// PostgreSQL takes at most 65,535 parameters per statement: 2,000 activities × 20 columns stay well below.
const PG_BATCH = 2_000;

async function fillPostgres(db: DB, count: number, seedValue: number, units: { id: number; name_zh: string }[], items: { id: number }[], reporterId: number): Promise<number> {
  const insertStarted = performance.now();
  const rows: GeneratedActivity[] = [];
  drawActivities(count, seedValue, units, items, reporterId, (row) => rows.push(row));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += PG_BATCH) {
      const batch = rows.slice(i, i + PG_BATCH);
      await trx.insertInto("activities").values(batch.map((r) => r.activity)).execute();
      const links = batch.flatMap((r) => r.links);
      const countries = batch.flatMap((r) => r.countries);
      const evidence = batch.flatMap((r) => r.evidence);
      if (links.length) await trx.insertInto("activity_plan_items").values(links).execute();
      if (countries.length) await trx.insertInto("activity_countries").values(countries).execute();
      if (evidence.length) await trx.insertInto("activity_evidence").values(evidence).execute();
    }
    // The ids were given explicitly: move the identity past them, so activities logged later get fresh ones.
    await sql`SELECT setval(pg_get_serial_sequence('activities', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM activities), false)`.execute(trx);
  });
  const insertMs = performance.now() - insertStarted;
  await sql`ANALYZE`.execute(db);
  return insertMs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [location, countArg] = process.argv.slice(2);
  if (!location) {
    console.error("usage: tsx bench/generate.ts <SQLite file or postgres:// URL> [count=100000]");
    process.exit(2);
  }
  const generated = await generateDatabase(location, Number(countArg ?? 100_000));
  console.log(`generated ${generated.activities} activities (${generated.units} units, ${generated.planItems} loggable plan items) in ${(generated.ms / 1000).toFixed(1)} s`);
}
