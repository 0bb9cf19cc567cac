// The counterpart register, as the issue asks: other spellings of a body resolve to one entry in the activity form
// and in the import; a name the register does not know is asked about and registered only once confirmed; a
// reviewer merges two entries (links and spellings move, both histories record it), a reporter cannot; the
// register lists the seeded bodies with their counts; the English pages and draft use the English names.
//
// authz-covers: counterparts.$id._index.tsx
// authz-covers: counterparts.$id.edit.tsx
import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as editActivity from "~/routes/activities.$id.edit";
import * as activityPage from "~/routes/activities.$id._index";
import * as importsRoute from "~/routes/imports._index";
import * as register from "~/routes/counterparts._index";
import * as bodyPage from "~/routes/counterparts.$id._index";
import * as bodyEdit from "~/routes/counterparts.$id.edit";
import { translator } from "~/i18n/translator.server";
import { createActivity } from "~/models/activity.server";
import { loadCounterpartMatcher } from "~/models/counterpart.server";
import { importMessageText } from "~/schemas/activity-import";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { demoActivities } from "../../seeds/data/activities";
import { counterparts as seededBodies } from "../../seeds/data/counterparts";
import { seed } from "../../seeds/seed";
import { BASE, call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook } from "../fixtures/build-fixtures";

const bodyId = async (code: string) => (await db.selectFrom("counterparts").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
const linksOf = async (activityId: number) =>
  (await db.selectFrom("activity_counterparts").select("counterpart_id").where("activity_id", "=", activityId).orderBy("sort_order").execute()).map(
    (r) => r.counterpart_id,
  );
const count = async (table: "counterparts" | "counterpart_aliases" | "activities" | "activity_counterparts" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const english = async (username: string) => `${await sessionCookieFor(username)}; ${(await localeCookie.serialize("en")).split(";")[0]}`;

let seq = 0;
/** Logs an activity through the form as 西双版纳州's reporter; returns the response. */
async function logThroughForm(overrides: Record<string, string | string[]>) {
  const form = await validActivityForm("yn-xsbn", { title: `对方机构测试 ${++seq}`, ...overrides });
  return call(newActivity.action, "/activities/new", { cookie: await sessionCookieFor("xsbn"), form });
}
function createdId(response: Response): number {
  expect(response.status).toBe(302);
  return Number(/\/activities\/(\d+)/.exec(response.headers.get("Location")!)![1]);
}

describe("the seeded register", () => {
  it("holds the bodies the reference documents name, with their spellings, and no foreign body among our units", async () => {
    expect(seededBodies.length).toBeGreaterThanOrEqual(40);
    expect(await count("counterparts")).toBe(seededBodies.length);
    const champasak = await db.selectFrom("counterparts").selectAll().where("code", "=", "la-champasak").executeTakeFirstOrThrow();
    expect(champasak).toMatchObject({ country_code: "LA", level: "province", name_zh: "占巴塞省", name_en: "Champasak Province", merged_into: null });
    const aliases = await db.selectFrom("counterpart_aliases").select("name").where("counterpart_id", "=", champasak.id).execute();
    expect(aliases.map((a) => a.name)).toContain("占巴色省");
    expect(await db.selectFrom("organizations").select("id").where("kind", "=", "foreign_body").execute()).toEqual([]);
    // every body's country is a counterpart country, never China or a part of it
    const countries = (await db.selectFrom("counterparts").select("country_code").execute()).map((r) => r.country_code);
    for (const code of ["CN", "TW", "HK", "MO"]) expect(countries).not.toContain(code);
  });

  it("links the demo ledger's activities to the bodies their text names, several per activity", async () => {
    const demo = await db
      .selectFrom("activities")
      .select(["id", "counterpart_body"])
      .where("counterpart_body", "=", "老挝波乔省、老挝沙耶武里省等周边国家地方政府")
      .executeTakeFirstOrThrow();
    expect(await linksOf(demo.id)).toEqual([await bodyId("la-bokeo"), await bodyId("la-sainyabuli")]);
    const labs = await db.selectFrom("activities").select("id").where("counterpart_body", "=", "老挝万象市、缅甸曼德勒、柬埔寨金边市、柬埔寨西哈努克港").executeTakeFirstOrThrow();
    expect(await linksOf(labs.id)).toEqual([await bodyId("la-vientiane"), await bodyId("mm-mandalay"), await bodyId("kh-phnom-penh"), await bodyId("kh-sihanoukville")]);
  });

  it("is seeded once: a second run changes nothing", async () => {
    const before = { bodies: await count("counterparts"), aliases: await count("counterpart_aliases"), links: await count("activity_counterparts") };
    await seed(db);
    expect({ bodies: await count("counterparts"), aliases: await count("counterpart_aliases"), links: await count("activity_counterparts") }).toEqual(before);
  });
});

describe("the register page", () => {
  it("lists the seeded bodies with how many activities name each and the last contact", async () => {
    const data = await jsonOf(await call(register.loader, "/counterparts?sort=country", { cookie: await sessionCookieFor("official") }));
    expect(data.total).toBe(seededBodies.length);
    const row = (name: string) => data.rows.find((r: { name: string }) => r.name === name);
    // what the demo ledger says, counted independently of the register
    const naming = (text: string) => demoActivities.filter((a) => a.counterpartBody.includes(text));
    expect(row("占巴塞省")).toMatchObject({ country: "老挝", level: "province", activityCount: naming("占巴塞省").length });
    expect(naming("占巴塞省").length).toBe(2);
    expect(row("琅勃拉邦省").activityCount).toBe(naming("琅勃拉邦省").length);
    const counted = naming("琅勃拉邦省").filter((a) => a.status === "completed" || a.status === "ongoing");
    expect(row("琅勃拉邦省").lastContact).toBe(counted.map((a) => a.startDate).sort().at(-1));
    expect(row("伊朗吉兰省") ?? row("吉兰省")).toMatchObject({ activityCount: 0, lastContact: null });
    // the Mekong countries come first
    expect(data.rows[0].country).toBe("柬埔寨");
  });

  it("finds a body by any spelling, and filters by country and level", async () => {
    const cookie = await sessionCookieFor("official");
    const names = async (query: string) =>
      (await jsonOf(await call(register.loader, `/counterparts?${query}`, { cookie }))).rows.map((r: { name: string }) => r.name);
    expect(await names(`q=${encodeURIComponent("老挝占巴色省")}`)).toEqual(["占巴塞省"]);
    expect(await names("q=champasak")).toEqual(["占巴塞省"]);
    expect((await names("country=VN")).sort()).toEqual(["老街省", "河江省", "莱州省", "奠边省"].sort());
    expect((await names("country=LA&level=city")).sort()).toEqual(["琅勃拉邦市", "万象市"].sort());
    const refused = await call(register.loader, "/counterparts?country=TW", { cookie });
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).countryInvalid).toBe("errors.country_part_of_china");
  });

  it("speaks English on the English page: English names, English country and level", async () => {
    const data = await jsonOf(await call(register.loader, "/counterparts?country=LA", { cookie: await english("official") }));
    expect(data.rows.map((r: { name: string }) => r.name)).toContain("Champasak Province");
    const champasak = data.rows.find((r: { name: string }) => r.name === "Champasak Province");
    expect(champasak).toMatchObject({ country: "Laos", otherName: "ແຂວງຈຳປາສັກ" });
    for (const r of data.rows) expect(r.name, "no Chinese name where an English one is registered").not.toMatch(/[\u4e00-\u9fff]/);
    const page = await jsonOf(await call(bodyPage.loader, `/counterparts/${await bodyId("la-champasak")}`, { cookie: await english("official"), params: { id: String(await bodyId("la-champasak")) } }));
    expect(page.body).toMatchObject({ fullName: "Champasak Province, Laos", country: "Laos" });
  });
});

describe("the activity form", () => {
  it("links 老挝占巴色省 and 占巴塞省 to the one body 占巴塞省 (Champasak Province)", async () => {
    const champasak = await bodyId("la-champasak");
    const variant = createdId(await logThroughForm({ counterpart_body: "老挝占巴色省" }));
    const standard = createdId(await logThroughForm({ counterpart_body: "占巴塞省" }));
    const both = createdId(await logThroughForm({ counterpart_body: "老挝占巴色省、占巴塞省、Champasak Province" }));
    expect(await linksOf(variant)).toEqual([champasak]);
    expect(await linksOf(standard)).toEqual([champasak]);
    expect(await linksOf(both)).toEqual([champasak]);
    // the text stays as written: it is what the ledger prints
    expect((await db.selectFrom("activities").select("counterpart_body").where("id", "=", variant).executeTakeFirstOrThrow()).counterpart_body).toBe("老挝占巴色省");
    // the activity page links to the body, named in the reader's language
    const page = await jsonOf(await call(activityPage.loader, `/activities/${variant}`, { cookie: await english("official"), params: { id: String(variant) } }));
    expect(page.counterparts).toEqual([{ id: champasak, label: "Champasak Province, Laos" }]);
    const zh = await jsonOf(await call(activityPage.loader, `/activities/${variant}`, { cookie: await sessionCookieFor("official"), params: { id: String(variant) } }));
    expect(zh.counterparts).toEqual([{ id: champasak, label: "老挝占巴塞省" }]);
  });

  it("offers the register's bodies as the 对方机构 field's suggestions", async () => {
    const data = await jsonOf(await call(newActivity.loader, "/activities/new", { cookie: await sessionCookieFor("xsbn") }));
    const champasak = data.options.counterparts.find((o: { label: string }) => o.label === "老挝占巴塞省");
    expect(champasak.keys).toEqual(expect.arrayContaining(["占巴塞省", "占巴色省", "champasakprovince"]));
  });

  it("asks before registering a name it does not know, and registers it only once confirmed", async () => {
    const before = { activities: await count("activities"), bodies: await count("counterparts") };
    const asked = await logThroughForm({ counterpart_body: "老挝南塔省农林厅、周边国家" });
    expect(asked.status).toBe(400);
    const body = await jsonOf(asked);
    expect(body.errors.counterpart_body).toBe("counterparts.form.unresolved");
    // one question: the department; "周边国家" is words, never asked about
    expect(body.questions).toEqual([
      expect.objectContaining({ name: "老挝南塔省农林厅", bare: "南塔省农林厅", country: "LA", level: "organization", choice: "", ambiguous: false }),
    ]);
    expect(body.questions[0].candidates).toContain(await bodyId("la-luang-namtha"));
    expect({ activities: await count("activities"), bodies: await count("counterparts") }).toEqual(before);

    // a country that is not a counterpart country is refused with the reason, still writing nothing
    const wrong = await logThroughForm({
      counterpart_body: "老挝南塔省农林厅、周边国家",
      counterpart_name: ["老挝南塔省农林厅"],
      counterpart_choice_0: "create",
      counterpart_country_0: "TW",
      counterpart_level_0: "organization",
    });
    expect(wrong.status).toBe(400);
    expect((await jsonOf(wrong)).questions[0]).toMatchObject({ choice: "create", error: "errors.country_part_of_china" });
    expect(await count("counterparts")).toBe(before.bodies);

    const confirmed = createdId(
      await logThroughForm({
        counterpart_body: "老挝南塔省农林厅、周边国家",
        counterpart_name: ["老挝南塔省农林厅"],
        counterpart_choice_0: "create",
        counterpart_country_0: "LA",
        counterpart_level_0: "organization",
      }),
    );
    const created = await db.selectFrom("counterparts").selectAll().where("name_zh", "=", "南塔省农林厅").executeTakeFirstOrThrow();
    expect(created).toMatchObject({ country_code: "LA", level: "organization", code: null, merged_into: null });
    expect(await linksOf(confirmed)).toEqual([created.id]);
    const audit = await db.selectFrom("audit_log").select(["action", "user_id"]).where("entity_type", "=", "counterpart").where("entity_id", "=", created.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["counterpart.create"]);
    // registered now: the next activity naming it is linked without a question
    expect(await linksOf(createdId(await logThroughForm({ counterpart_body: "南塔省农林厅" })))).toEqual([created.id]);
  });

  it("registers a new body once when several saves name it at the same moment", async () => {
    const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.5").executeTakeFirstOrThrow();
    const input = (title: string) => ({
      organizationId: 0,
      title,
      type: "outbound_visit",
      startDate: "2025-07-01",
      endDate: "2025-07-02",
      status: "completed",
      primaryPlanItemId: item.id,
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: "老挝沙耶武里省卫生厅",
      location: "",
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
      counterparts: [{ create: { nameZh: "老挝沙耶武里省卫生厅", countryCode: "LA", level: "organization" as const } }],
    });
    const unit = await unitId("yn-xsbn");
    // on PostgreSQL these run side by side on separate connections; without the register's lock each would find
    // no such body and register its own
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => createActivity(db, { ...input(`同时登记 ${i}`), organizationId: unit }, null)));
    const bodies = await db.selectFrom("counterparts").select("id").where("name_zh", "=", "沙耶武里省卫生厅").execute();
    expect(bodies).toHaveLength(1);
    for (const id of ids) expect(await linksOf(id)).toEqual([bodies[0]!.id]);
  });

  it("takes an unknown spelling as a registered body's, keeping it as its alias; or keeps words only", async () => {
    const champasak = await bodyId("la-champasak");
    const asExisting = createdId(
      await logThroughForm({
        counterpart_body: "老挝占巴沙省",
        counterpart_name: ["老挝占巴沙省"],
        counterpart_choice_0: "existing",
        counterpart_existing_0: String(champasak),
      }),
    );
    expect(await linksOf(asExisting)).toEqual([champasak]);
    expect((await loadCounterpartMatcher(db)).resolveName("占巴沙省")).toMatchObject({ kind: "body", id: champasak });

    const bodies = await count("counterparts");
    const wordsOnly = createdId(
      await logThroughForm({ counterpart_body: "某国际组织驻地代表", counterpart_name: ["某国际组织驻地代表"], counterpart_choice_0: "text" }),
    );
    expect(await linksOf(wordsOnly)).toEqual([]);
    expect(await count("counterparts")).toBe(bodies);

    // editing it later does not ask about those words again
    const form = await validActivityForm("yn-xsbn", { title: "对方机构测试 已存文字", counterpart_body: "某国际组织驻地代表、老挝波乔省" });
    const saved = await call(editActivity.action, `/activities/${wordsOnly}/edit`, {
      cookie: await sessionCookieFor("xsbn"),
      params: { id: String(wordsOnly) },
      form: { ...form, version: "1" },
    });
    expect(saved.status).toBe(302);
    expect(await linksOf(wordsOnly)).toEqual([await bodyId("la-bokeo")]);
  });
});

describe("the import", () => {
  async function uploadAndPreview(rows: (string | null)[][]) {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows);
    const form = new FormData();
    form.append("file", new File([new Uint8Array(file)], "台账.xlsx"));
    const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: await sessionCookieFor("xsbn") }, body: form });
    const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
    expect(response.status).toBe(302);
    const id = Number(new URL(response.headers.get("Location")!, BASE).searchParams.get("upload"));
    const preview = (await jsonOf(await call(importsRoute.loader, `/imports?upload=${id}&view=all`, { cookie: await sessionCookieFor("xsbn") }))).preview;
    return { id, preview };
  }
  const row = (title: string, counterpart: string, country = "老挝") => {
    const cells: (string | null)[] = TEMPLATE_HEADERS_ZH.map(() => null);
    const set = (header: string, value: string) => (cells[TEMPLATE_HEADERS_ZH.indexOf(header)] = value);
    set("活动名称", title);
    set("活动类型", "出访");
    set("开始日期", "2025-06-02");
    set("结束日期", "2025-06-04");
    set("状态", "已完成");
    set("主要对应条款", "4.2.5");
    set("对方国家", country);
    set("对方机构", counterpart);
    set("填报单位", "西双版纳州");
    return cells;
  };

  it("resolves each row's names and spellings to one body, announces the new ones, and registers them once, at import", async () => {
    expect(TEMPLATE_HEADERS_ZH).toEqual(expect.arrayContaining(["活动名称", "对方国家", "对方机构", "填报单位"]));
    const { id, preview } = await uploadAndPreview([
      row("导入测试 占巴色", "老挝占巴色省"),
      row("导入测试 占巴塞", "占巴塞省"),
      row("导入测试 英文", "Champasak Province, Laos"),
      row("导入测试 新机构一", "老挝丰沙里省农业厅"),
      row("导入测试 新机构二", "丰沙里省农业厅"),
      row("导入测试 无国家", "某某商会", ""),
    ]);
    const byTitle = (title: string) => preview.rows.find((r: { title: string }) => r.title === title);
    for (const title of ["导入测试 占巴色", "导入测试 占巴塞", "导入测试 英文"]) {
      expect(byTitle(title).warnings.filter((w: { key: string }) => w.key.startsWith("imports.warn.counterpart")), title).toEqual([]);
    }
    const announced = byTitle("导入测试 新机构一").warnings.find((w: { key: string }) => w.key === "imports.warn.counterpart_new");
    expect(announced).toMatchObject({ column: "对方机构", params: { value: "老挝丰沙里省农业厅", country_zh: "老挝", level_key: "counterparts.level.organization" } });
    expect(importMessageText(translator("zh-CN"), "zh-CN", announced)).toBe("将新建对方机构“老挝丰沙里省农业厅”（老挝，组织机构）");
    expect(importMessageText(translator("en"), "en", announced)).toBe("A new counterpart body “老挝丰沙里省农业厅” (Laos, Organisation) will be registered");
    expect(byTitle("导入测试 无国家").warnings.map((w: { key: string }) => w.key)).toContain("imports.warn.counterpart_no_country");
    // a likely misspelling of a registered body is said so on the preview
    const { preview: misspelt } = await uploadAndPreview([row("导入测试 错字", "老挝占巴赛省")]);
    expect(misspelt.rows[0].warnings.find((w: { key: string }) => w.key === "imports.warn.counterpart_new_similar")).toMatchObject({
      params: { value: "老挝占巴赛省", similar_zh: "老挝占巴塞省", similar_en: "Champasak Province, Laos" },
    });
    expect(preview.counts.error).toBe(0);
    // the preview registers nothing
    expect(await db.selectFrom("counterparts").select("id").where("name_zh", "=", "丰沙里省农业厅").execute()).toEqual([]);

    const bodies = await count("counterparts");
    const done = await call(importsRoute.action, "/imports", { cookie: await sessionCookieFor("xsbn"), form: { upload_id: String(id), mode: "all" } });
    expect(done.status).toBe(302);
    const imported = async (title: string) =>
      linksOf((await db.selectFrom("activities").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id);
    const champasak = await bodyId("la-champasak");
    for (const title of ["导入测试 占巴色", "导入测试 占巴塞", "导入测试 英文"]) expect(await imported(title), title).toEqual([champasak]);
    // the two spellings of the new department: one body, registered with the import
    expect(await count("counterparts")).toBe(bodies + 1);
    const created = await db.selectFrom("counterparts").selectAll().where("name_zh", "=", "丰沙里省农业厅").executeTakeFirstOrThrow();
    expect(created).toMatchObject({ country_code: "LA", level: "organization" });
    expect(await imported("导入测试 新机构一")).toEqual([created.id]);
    expect(await imported("导入测试 新机构二")).toEqual([created.id]);
    expect(await imported("导入测试 无国家")).toEqual([]);
    const text = await db.selectFrom("activities").select("counterpart_body").where("title", "=", "导入测试 无国家").executeTakeFirstOrThrow();
    expect(text.counterpart_body).toBe("某某商会");
  });
});

describe("merging two entries", () => {
  async function duplicateOfChampasak(name: string) {
    const id = createdId(
      await logThroughForm({
        counterpart_body: `老挝${name}`,
        counterpart_name: [`老挝${name}`],
        counterpart_choice_0: "create",
        counterpart_country_0: "LA",
        counterpart_level_0: "province",
      }),
    );
    const body = await db.selectFrom("counterparts").select("id").where("name_zh", "=", name).executeTakeFirstOrThrow();
    return { activity: id, duplicate: body.id };
  }

  it("moves the duplicate's activities and spellings to the kept body, redirects it there, and records it in both histories", async () => {
    const champasak = await bodyId("la-champasak");
    const { activity, duplicate } = await duplicateOfChampasak("占巴赛省");
    expect(await linksOf(activity)).toEqual([duplicate]);
    const cookie = await sessionCookieFor("reviewer");
    const merged = await call(bodyPage.action, `/counterparts/${champasak}`, {
      cookie,
      params: { id: String(champasak) },
      form: { duplicate_id: String(duplicate), confirm: "yes" },
    });
    expect(merged.status).toBe(302);
    expect(await linksOf(activity)).toEqual([champasak]);
    const dup = await db.selectFrom("counterparts").select("merged_into").where("id", "=", duplicate).executeTakeFirstOrThrow();
    expect(dup.merged_into).toBe(champasak);
    const aliases = (await db.selectFrom("counterpart_aliases").select(["name", "counterpart_id"]).where("name", "=", "占巴赛省").execute());
    expect(aliases).toEqual([{ name: "占巴赛省", counterpart_id: champasak }]);
    // the spelling now resolves to the kept body, and the merged entry's page leads there
    expect((await loadCounterpartMatcher(db)).resolveName("老挝占巴赛省")).toMatchObject({ kind: "body", id: champasak });
    const old = await call(bodyPage.loader, `/counterparts/${duplicate}`, { cookie, params: { id: String(duplicate) } });
    expect(old.status).toBe(302);
    expect(old.headers.get("Location")).toBe(`/counterparts/${champasak}?notice=redirected`);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "entity_id", "changes_json", "user_id"])
      .where("entity_type", "=", "counterpart")
      .where("action", "in", ["counterpart.merge", "counterpart.merged_into"])
      .where("entity_id", "in", [champasak, duplicate])
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ["counterpart.merge", champasak],
      ["counterpart.merged_into", duplicate],
    ]);
    expect(JSON.parse(audit[0]!.changes_json)).toMatchObject({ merged: { id: duplicate, name_zh: "占巴赛省" }, activities: [activity], aliases: ["占巴赛省"] });
    const reviewer = await db.selectFrom("users").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow();
    expect(audit.every((a) => a.user_id === reviewer.id)).toBe(true);
    // the kept body's page names what was merged in
    const page = await jsonOf(await call(bodyPage.loader, `/counterparts/${champasak}`, { cookie, params: { id: String(champasak) } }));
    expect(page.history.map((h: { action: string }) => h.action)).toContain("counterpart.merge");
    expect(page.body.aliases).toContain("占巴赛省");
  });

  it("is refused to a reporter (403) and an official, changing nothing", async () => {
    const champasak = await bodyId("la-champasak");
    const { duplicate } = await duplicateOfChampasak("占巴寨省");
    for (const username of ["xsbn", "official", "xsbn_leader"]) {
      const before = { audit: await count("audit_log"), links: await db.selectFrom("activity_counterparts").selectAll().orderBy("activity_id").orderBy("counterpart_id").execute() };
      const refused = await call(bodyPage.action, `/counterparts/${champasak}`, {
        cookie: await sessionCookieFor(username),
        params: { id: String(champasak) },
        form: { duplicate_id: String(duplicate), confirm: "yes" },
      });
      expect(refused.status, username).toBe(403);
      expect({ audit: await count("audit_log"), links: await db.selectFrom("activity_counterparts").selectAll().orderBy("activity_id").orderBy("counterpart_id").execute() }).toEqual(before);
      const dup = await db.selectFrom("counterparts").select("merged_into").where("id", "=", duplicate).executeTakeFirstOrThrow();
      expect(dup.merged_into).toBeNull();
    }
    // the page offers the merge only to those who may
    const shown = async (username: string) =>
      (await jsonOf(await call(bodyPage.loader, `/counterparts/${champasak}`, { cookie: await sessionCookieFor(username), params: { id: String(champasak) } }))).canMerge;
    expect(await shown("xsbn")).toBe(false);
    expect(await shown("reviewer")).toBe(true);
    expect(await shown("admin")).toBe(true);
  });

  it("refuses bad merges with a field error: unconfirmed, itself, another country", async () => {
    const champasak = await bodyId("la-champasak");
    const cookie = await sessionCookieFor("admin");
    const post = (form: Record<string, string>) => call(bodyPage.action, `/counterparts/${champasak}`, { cookie, params: { id: String(champasak) }, form });
    const errorOf = async (form: Record<string, string>) => {
      const response = await post(form);
      expect(response.status).toBe(400);
      return (await jsonOf(response)).errors;
    };
    expect(await errorOf({ duplicate_id: String(await bodyId("la-bokeo")) })).toMatchObject({ confirm: "counterparts.merge.confirm_required" });
    expect(await errorOf({ duplicate_id: String(champasak), confirm: "yes" })).toMatchObject({ duplicate_id: "counterparts.merge.same" });
    expect(await errorOf({ duplicate_id: String(await bodyId("th-chiang-rai")), confirm: "yes" })).toMatchObject({ duplicate_id: "counterparts.merge.other_country" });
    expect(await errorOf({ duplicate_id: "999999", confirm: "yes" })).toMatchObject({ duplicate_id: "counterparts.merge.not_found" });
  });
});

describe("editing a body", () => {
  it("lets a reviewer give a body its English name and spellings, recorded in its history; refuses a reporter", async () => {
    const xsbn = await sessionCookieFor("xsbn");
    const created = createdId(
      await logThroughForm({
        counterpart_body: "老挝南塔省教育厅",
        counterpart_name: ["老挝南塔省教育厅"],
        counterpart_choice_0: "create",
        counterpart_country_0: "LA",
        counterpart_level_0: "organization",
      }),
    );
    const [id] = await linksOf(created);
    const params = { id: String(id) };
    expect((await call(bodyEdit.loader, `/counterparts/${id}/edit`, { cookie: xsbn, params })).status).toBe(403);
    const form = { name_zh: "南塔省教育厅", name_en: "Luang Namtha Provincial Department of Education", name_local: "", country_code: "LA", level: "organization", aliases: "南塔省教育体育厅\n琅南塔省教育厅" };
    expect((await call(bodyEdit.action, `/counterparts/${id}/edit`, { cookie: xsbn, params, form })).status).toBe(403);
    const reviewer = await sessionCookieFor("reviewer");
    expect((await call(bodyEdit.action, `/counterparts/${id}/edit`, { cookie: reviewer, params, form })).status).toBe(302);
    const matcher = await loadCounterpartMatcher(db);
    expect(matcher.resolveName("老挝琅南塔省教育厅")).toMatchObject({ kind: "body", id });
    const update = await db.selectFrom("audit_log").select("changes_json").where("entity_type", "=", "counterpart").where("entity_id", "=", id!).where("action", "=", "counterpart.update").executeTakeFirstOrThrow();
    expect(Object.keys(JSON.parse(update.changes_json)).sort()).toEqual(["aliases", "name_en"]);
    // the activity page now names it in English
    const page = await jsonOf(await call(activityPage.loader, `/activities/${created}`, { cookie: await english("official"), params: { id: String(created) } }));
    expect(page.counterparts[0].label).toBe("Luang Namtha Provincial Department of Education, Laos");
    // a spelling another body goes by is refused, naming that body
    const clash = await call(bodyEdit.action, `/counterparts/${id}/edit`, { cookie: reviewer, params, form: { ...form, aliases: "南塔省" } });
    expect(clash.status).toBe(400);
    expect((await jsonOf(clash)).conflicts).toEqual([expect.objectContaining({ name: "南塔省", other: "老挝南塔省" })]);
  });
});
