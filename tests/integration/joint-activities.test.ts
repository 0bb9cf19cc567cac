// Joint work (配合单位): 昆明市 leads a delegation on which 西双版纳州 and 红河州 co-operate, with the city's
// commerce bureau named in words. The co-operating units see it, marked, and may not edit it; every figure counts
// it once, for the lead unit; the form refuses a partner that is the lead itself or a foreign body.
import { beforeAll, describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as detail from "~/routes/activities.$id._index";
import * as edit from "~/routes/activities.$id.edit";
import * as list from "~/routes/activities._index";
import { activityCharts } from "~/presenters/dashboard.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

const RANGE = { from: "2026-05-01", to: "2026-05-31" };
const options = { today: "2026-12-07", locale: "zh-CN" as const, clipToToday: false };
const pathOf = async (code: string) =>
  (await db.selectFrom("organizations").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path;

let jointId = 0;
let kunming = "";
let xsbn = "";

beforeAll(async () => {
  kunming = await sessionCookieFor("kunming");
  xsbn = await sessionCookieFor("xsbn");
  const form = await validActivityForm("yn-km", {
    title: "昆明市牵头赴老挝万象市开展友城旅游推介",
    start_date: "2026-05-10",
    end_date: "2026-05-14",
    delegations_count: "1",
    participants_count: "12",
    funding_wan: "8",
    partner_units: [String(await unitId("yn-xsbn")), String(await unitId("yn-hh"))],
    partner_departments: "市商务局、市文化和旅游局，市商务局",
  });
  const response = await call(newActivity.action, "/activities/new", { cookie: kunming, form });
  expect(response.status, await response.clone().text()).toBe(302);
  jointId = Number(response.headers.get("Location")!.match(/\/activities\/(\d+)/)![1]);
});

describe("an activity with co-operating units", () => {
  it("keeps its lead unit and names the co-operating units and departments, each once, in the history too", async () => {
    const data = await jsonOf(await call(detail.loader, `/activities/${jointId}`, { cookie: kunming, params: { id: String(jointId) } }));
    expect(data.activity.organization_name_zh).toBe("昆明市");
    expect(data.activity.partners.map((p: { name_zh: string }) => p.name_zh)).toEqual([
      "西双版纳傣族自治州",
      "红河哈尼族彝族自治州",
      "市商务局",
      "市文化和旅游局",
    ]);
    expect(data.canEdit).toBe(true);
    expect(data.partnerOf).toBeNull();
    const created = data.history.find((h: { action: string }) => h.action === "activity.create");
    expect(created.changes.partners).toEqual([await unitId("yn-xsbn"), await unitId("yn-hh"), "市商务局", "市文化和旅游局"]);
  });

  it("shows in a co-operating unit's list, marked, and says how many of its rows it only co-operates on", async () => {
    const xsbnId = await unitId("yn-xsbn");
    const data = await jsonOf(await call(list.loader, `/activities?unit=${xsbnId}&from=2026-05-01&to=2026-05-31`, { cookie: xsbn }));
    const row = data.result.rows.find((r: { id: number }) => r.id === jointId);
    expect(row).toBeDefined();
    expect(row.organization_path.startsWith(data.involvingPath)).toBe(false); // the page marks it 配合
    expect(data.partnerCount).toBe(1);
    // a unit neither leading nor co-operating does not see it
    const other = await jsonOf(await call(list.loader, `/activities?unit=${await unitId("yn-dh")}&from=2026-05-01&to=2026-05-31`, { cookie: xsbn }));
    expect(other.result.rows.some((r: { id: number }) => r.id === jointId)).toBe(false);
  });

  it("tells the co-operating unit who keeps it, and does not let it edit the lead's activity (403)", async () => {
    const data = await jsonOf(await call(detail.loader, `/activities/${jointId}`, { cookie: xsbn, params: { id: String(jointId) } }));
    expect(data.partnerOf.name_zh).toBe("西双版纳傣族自治州");
    expect(data.canEdit).toBe(false);
    const form = { ...(await validActivityForm("yn-km")), version: "1" };
    const response = await call(edit.action, `/activities/${jointId}/edit`, { cookie: xsbn, params: { id: String(jointId) }, form });
    expect(response.status).toBe(403);
  });

  it("is counted once, for its lead unit: the province's totals equal the sum over its units", async () => {
    const province = await activityCharts(db, { ...RANGE, organizationPath: await pathOf("yn") }, options);
    const lead = await activityCharts(db, { ...RANGE, organizationPath: await pathOf("yn-km") }, options);
    const partner = await activityCharts(db, { ...RANGE, organizationPath: await pathOf("yn-xsbn") }, options);
    expect(lead.totals).toMatchObject({ activities: 1, people: 12, delegations: 1 });
    expect(partner.totals.activities).toBe(0);
    expect(province.totals).toMatchObject({ activities: 1, people: 12, delegations: 1, fundingFen: 8_000_000 }); // 8 万元
  });

  it("records a change of co-operating units in the history", async () => {
    const before = await jsonOf(await call(edit.loader, `/activities/${jointId}/edit`, { cookie: kunming, params: { id: String(jointId) } }));
    expect(before.values.partner_departments).toBe("市商务局、市文化和旅游局");
    const form = {
      ...before.values,
      version: String(before.version),
      partner_units: [String(await unitId("yn-xsbn"))],
      partner_departments: "",
    };
    const response = await call(edit.action, `/activities/${jointId}/edit`, { cookie: kunming, params: { id: String(jointId) }, form });
    expect(response.status, await response.clone().text()).toBe(302);
    const data = await jsonOf(await call(detail.loader, `/activities/${jointId}`, { cookie: kunming, params: { id: String(jointId) } }));
    expect(data.activity.partners.map((p: { name_zh: string }) => p.name_zh)).toEqual(["西双版纳傣族自治州"]);
    const update = data.history.find((h: { action: string }) => h.action === "activity.update");
    expect(update.changes.partners).toEqual([
      [await unitId("yn-xsbn"), await unitId("yn-hh"), "市商务局", "市文化和旅游局"],
      [await unitId("yn-xsbn")],
    ]);
  });
});

/** A foreign body kept as a unit (as the seed once kept them, before the counterpart register). */
async function foreignUnit(): Promise<number> {
  const found = await db.selectFrom("organizations").select("id").where("code", "=", "test-foreign-body").executeTakeFirst();
  if (found) return found.id;
  const { id } = await db
    .insertInto("organizations")
    .values({ code: "test-foreign-body", parent_id: null, path: "/", kind: "foreign_body", name_zh: "老挝占巴塞省", name_en: "Champasak Province, Laos", country_code: "LA", sort_order: 999 })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.updateTable("organizations").set({ path: `/${id}/` }).where("id", "=", id).execute();
  return id;
}

describe("the form refuses co-operating units that are not ours to name (400, nothing written)", () => {
  const cases: [string, () => Promise<Record<string, string | string[]>>, string, string][] = [
    ["the lead unit itself", async () => ({ partner_units: [String(await unitId("yn-km"))] }), "partner_units", "errors.partner_is_lead"],
    // foreign bodies live in the counterpart register now; a foreign organization left among the units is still refused
    ["a foreign counterpart body", async () => ({ partner_units: [String(await foreignUnit())] }), "partner_units", "errors.partner_unit"],
    ["a unit that does not exist", async () => ({ partner_units: ["999999"] }), "partner_units", "errors.partner_unit"],
    ["a department name of 101 characters", async () => ({ partner_departments: "局".repeat(101) }), "partner_departments", "errors.partner_name_too_long"],
    ["HTML as a department", async () => ({ partner_departments: "<b>局</b>" }), "partner_departments", "errors.html"],
  ];
  for (const [name, overrides, field, message] of cases) {
    it(name, async () => {
      const count = async () => Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      const before = await count();
      const response = await call(newActivity.action, "/activities/new", { cookie: kunming, form: await validActivityForm("yn-km", await overrides()) });
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.errors[field]).toBe(message);
      expect(await count()).toBe(before);
    });
  }
});

describe("the import reads a 配合单位 column", () => {
  it("turns names of units of the tree into those units and keeps other names as departments", async () => {
    const { buildSimpleWorkbook } = await import("../fixtures/build-fixtures");
    const imports = await import("~/routes/imports._index");
    const { BASE } = await import("../helpers");
    const file = await buildSimpleWorkbook(
      ["活动名称", "活动类型", "开始日期", "主要对应条款", "牵头单位", "配合单位"],
      [["昆明市联合州市赴万象举办旅游推介会", "会议", "2026-09-15", "4.3.2", "昆明市", "西双版纳州、红河州、市文化和旅游局"]],
    );
    const form = new FormData();
    form.append("file", new File([new Uint8Array(file)], "台账.xlsx"));
    const upload = (await imports.action({ request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: kunming }, body: form }), params: {}, context: {} })) as Response;
    expect(upload.status).toBe(302);
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
    const id = new URL(upload.headers.get("Location")!, BASE).searchParams.get("upload")!;
    const run = await call(imports.action, "/imports", { cookie: kunming, form: { upload_id: id, mode: "all" } });
    expect(run.status, await run.clone().text()).toBe(302);
    const activity = await db.selectFrom("activities").select("id").where("title", "=", "昆明市联合州市赴万象举办旅游推介会").executeTakeFirstOrThrow();
    const data = await jsonOf(await call(detail.loader, `/activities/${activity.id}`, { cookie: kunming, params: { id: String(activity.id) } }));
    expect(data.activity.partners.map((p: { name_zh: string; organization_id: number | null }) => [p.name_zh, p.organization_id !== null])).toEqual([
      ["西双版纳傣族自治州", true],
      ["红河哈尼族彝族自治州", true],
      ["市文化和旅游局", false],
    ]);
  });
});

describe("the 工作台账 of the lead unit", () => {
  it("names the co-operating units in the 配合单位 column, never the foreign counterpart", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const ledger = await import("~/routes/exports.ledger[.]xlsx");
    const response = await call(ledger.loader, `/exports/ledger.xlsx?unit=${await unitId("yn-km")}&from=2026-05-01&to=2026-05-31`, { cookie: kunming });
    expect(response.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const headers = (sheet.getRow(4).values as unknown[]).slice(1);
    const partnerColumn = headers.indexOf("配合单位") + 1;
    expect(partnerColumn).toBe(7);
    let row: import("exceljs").Row | undefined;
    sheet.eachRow((r) => {
      if (r.getCell(4).value === "昆明市牵头赴老挝万象市开展友城旅游推介") row = r;
    });
    expect(row, "the joint activity is in its lead's ledger").toBeDefined();
    expect(row!.getCell(6).value).toBe("昆明市");
    expect(row!.getCell(partnerColumn).value).toBe("西双版纳傣族自治州");
  });
});
