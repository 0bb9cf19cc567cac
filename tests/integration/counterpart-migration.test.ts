// Migration 2026-12-08T1000 on a database of the release before it: the seed's foreign bodies (organizations of kind
// "foreign_body") move into the counterpart register with their codes, the activities already logged are linked
// to the bodies their text names, an organization something still points at stays; then the seed adds the other
// spellings and bodies, and links the activities naming them. On SQLite and (vitest.pg.config.ts) on PostgreSQL.
import { Migrator } from "kysely";
import { expect, it } from "vitest";
import { DirectoryMigrationProvider, migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { emptyDatabase } from "../setup/empty-database";

const BEFORE = "2026-12-07T1400-activity-partners";

it("moves the foreign bodies into the register with their codes and links the activities that name them", async () => {
  const db = await emptyDatabase();
  const { error } = await new Migrator({ db, provider: new DirectoryMigrationProvider() }).migrateTo(BEFORE);
  expect(error).toBeUndefined();

  // what that release held: our units, the seed's foreign bodies among them, and activities naming them
  const org = async (code: string, kind: string, name_zh: string, name_en: string, country_code: string, parent?: number) => {
    const { id } = await db
      .insertInto("organizations")
      .values({ code, parent_id: parent ?? null, path: "/", kind, name_zh, name_en, country_code, sort_order: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.updateTable("organizations").set({ path: `/${id}/` }).where("id", "=", id).execute();
    return id;
  };
  const xsbn = await org("yn-xsbn", "prefecture", "西双版纳傣族自治州", "Xishuangbanna", "CN");
  const champasak = await org("la-champasak", "foreign_body", "老挝占巴塞省", "Champasak Province, Laos", "LA");
  const prabang = await org("la-luang-prabang", "foreign_body", "老挝琅勃拉邦省", "Luang Prabang Province, Laos", "LA");
  await org("kh-phnom-penh", "foreign_body", "柬埔寨金边市", "Phnom Penh, Cambodia", "KH");
  // one somebody made a user's unit by mistake: it stays among the units (and is in the register too)
  const odd = await org("th-odd", "foreign_body", "泰国某府", "Some Province, Thailand", "TH");
  await db.insertInto("users").values({ username: "odd", display_name: "odd", password_hash: "x", role: "official", organization_id: odd, locale: "zh-CN", created_at: "2026-01-01T00:00:00Z" }).execute();

  const activity = async (title: string, counterpart_body: string, deleted = false) => {
    const { id } = await db
      .insertInto("activities")
      .values({
        organization_id: xsbn,
        title,
        type: "outbound_visit",
        start_date: "2024-03-01",
        end_date: "2024-03-02",
        status: "completed",
        counterpart_body,
        location: "",
        funding_source: "",
        outcome: "",
        version: 1,
        created_at: "2024-03-01T00:00:00Z",
        updated_at: "2024-03-01T00:00:00Z",
        deleted_at: deleted ? "2024-04-01T00:00:00Z" : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return id;
  };
  const two = await activity("出访占巴塞和琅勃拉邦", "老挝占巴塞省、老挝琅勃拉邦省等");
  const bare = await activity("琅勃拉邦来访", "琅勃拉邦省");
  const english = await activity("英文写的", "Champasak Province, Laos");
  const variant = await activity("异体写法", "老挝占巴色省");
  const port = await activity("西港", "柬埔寨西哈努克港");
  const none = await activity("没有机构", "周边国家");
  const inBin = await activity("回收站里的", "老挝占巴塞省", true);

  expect(await migrateToLatest(db)).toContain("2026-12-08T1000-counterpart-register");

  const bodies = await db.selectFrom("counterparts").select(["id", "code", "country_code", "level", "name_zh", "name_en"]).orderBy("id").execute();
  expect(bodies.map((b) => b.code)).toEqual(["la-champasak", "la-luang-prabang", "kh-phnom-penh", "th-odd"]);
  expect(bodies[0]).toMatchObject({ country_code: "LA", level: "province", name_zh: "占巴塞省", name_en: "Champasak Province" });
  expect(bodies[3]).toMatchObject({ country_code: "TH", level: "province", name_zh: "泰国某府", name_en: "Some Province, Thailand" });
  const id = (code: string) => bodies.find((b) => b.code === code)!.id;
  const remaining = (await db.selectFrom("organizations").select("id").execute()).map((r) => r.id);
  expect(remaining).not.toContain(champasak);
  expect(remaining).not.toContain(prabang);
  expect(remaining).toContain(odd);
  expect(remaining).toContain(xsbn);

  const links = async (activityId: number) =>
    (await db.selectFrom("activity_counterparts").select("counterpart_id").where("activity_id", "=", activityId).orderBy("sort_order").execute()).map(
      (r) => r.counterpart_id,
    );
  expect(await links(two)).toEqual([id("la-champasak"), id("la-luang-prabang")]);
  expect(await links(bare)).toEqual([id("la-luang-prabang")]);
  expect(await links(english)).toEqual([id("la-champasak")]);
  expect(await links(inBin)).toEqual([id("la-champasak")]);
  // spellings and bodies the migration does not know wait for the seed
  expect(await links(variant)).toEqual([]);
  expect(await links(port)).toEqual([]);
  expect(await links(none)).toEqual([]);

  // the seed keeps the moved bodies (and their codes), adds the rest, and links what its spellings and bodies name
  await seed(db, { demo: false });
  const after = await db.selectFrom("counterparts").select(["id", "code", "name_local"]).where("code", "in", ["la-champasak", "kh-sihanoukville"]).orderBy("id").execute();
  expect(after.map((b) => b.code)).toEqual(["la-champasak", "kh-sihanoukville"]);
  expect(after[0]).toMatchObject({ id: id("la-champasak"), name_local: "ແຂວງຈຳປາສັກ" });
  expect(await links(variant)).toEqual([id("la-champasak")]);
  expect(await links(port)).toEqual([after[1]!.id]);
  expect(await links(two)).toEqual([id("la-champasak"), id("la-luang-prabang")]);
  expect(await links(none)).toEqual([]);

  // and a second seed changes nothing
  const count = async () => Number((await db.selectFrom("activity_counterparts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const before = { links: await count(), bodies: (await db.selectFrom("counterparts").select("id").execute()).length };
  await seed(db, { demo: false });
  expect({ links: await count(), bodies: (await db.selectFrom("counterparts").select("id").execute()).length }).toEqual(before);
}, 60_000);

it("migrates down and up again", async () => {
  const db = await emptyDatabase();
  const migrator = new Migrator({ db, provider: new DirectoryMigrationProvider() });
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect(await db.selectFrom("counterparts").select("id").execute()).toEqual([]);
}, 60_000);
