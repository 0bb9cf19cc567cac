// What a spreadsheet may say, the activity form may say too: "30万元", "３０", "47人次", "2025年3月5日" are read by
// the same parsers on both paths, and the same text stores the same number — checked through the form's real
// action and the import page's real upload and import, on the same database.
import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as detail from "~/routes/activities.$id._index";
import * as importsRoute from "~/routes/imports._index";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, call, jsonOf, sessionCookieFor, validActivityForm } from "../helpers";
import { buildSimpleWorkbook } from "../fixtures/build-fixtures";

type Field = "funding_wan" | "participants_count" | "delegations_count" | "start_date";
const COLUMN: Record<Field, number> = { start_date: 2, delegations_count: 7, participants_count: 8, funding_wan: 9 };
const HEADERS = ["活动名称", "活动类型", "开始日期", "结束日期", "状态", "主要对应条款", "对方国家", "团组批次", "人次", "资金", "填报单位"];

/** [field, the text a person writes, what the ledger stores] */
const CASES: [Field, string, string | number][] = [
  ["funding_wan", "30万元", 30_000_000],
  ["funding_wan", "３０", 30_000_000],
  ["funding_wan", "300000元", 30_000_000],
  ["funding_wan", "1,234.5", 1_234_500_000],
  ["funding_wan", "1.5亿", 15_000_000_000],
  ["funding_wan", "人民币12.5万元", 12_500_000],
  ["participants_count", "47人次", 47],
  ["participants_count", "４７", 47],
  ["participants_count", "1,200人", 1200],
  ["delegations_count", "10批", 10],
  ["delegations_count", "３批次", 3],
  ["start_date", "2025年3月5日", "2025-03-05"],
  ["start_date", "2025.3.5", "2025-03-05"],
  ["start_date", "2025/03/05", "2025-03-05"],
  ["start_date", "20250305", "2025-03-05"],
  ["start_date", "２０２５年３月５日", "2025-03-05"],
];

const STORED: Record<Field, "funding_cny_fen" | "participants_count" | "delegations_count" | "start_date"> = {
  funding_wan: "funding_cny_fen",
  participants_count: "participants_count",
  delegations_count: "delegations_count",
  start_date: "start_date",
};

async function stored(title: string) {
  return db
    .selectFrom("activities")
    .select(["funding_cny_fen", "participants_count", "delegations_count", "start_date", "end_date"])
    .where("title", "=", title)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
}

async function postForm(cookie: string, overrides: Record<string, string>) {
  return call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn-mengla", overrides) });
}

describe("the activity form reads values the way the import does", () => {
  it("accepts 30万元, ３０, 47人次 and 2025年3月5日, and stores the numbers they mean", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const response = await postForm(cookie, {
      title: "表单：勐腊县赴老挝开展边境贸易交流",
      funding_wan: "30万元",
      participants_count: "47人次",
      delegations_count: "３",
      start_date: "2025年3月5日",
      end_date: "2025年3月8日",
    });
    expect(response.status, await response.clone().text()).toBe(302);
    const id = Number(/\/activities\/(\d+)/.exec(response.headers.get("Location")!)![1]);
    const data = await jsonOf(await call(detail.loader, `/activities/${id}`, { cookie, params: { id: String(id) } }));
    expect(data.activity.funding_cny_fen).toBe(30_000_000);
    expect(data.activity.participants_count).toBe(47);
    expect(data.activity.delegations_count).toBe(3);
    expect(data.activity.start_date).toBe("2025-03-05");
    expect(data.activity.end_date).toBe("2025-03-08");

    const fullWidth = await postForm(cookie, { title: "表单：全角数字的资金", funding_wan: "３０" });
    expect(fullWidth.status).toBe(302);
    expect((await stored("表单：全角数字的资金")).funding_cny_fen).toBe(30_000_000);
  });

  const refused: [string, Record<string, string>, string, string][] = [
    ["an amount in another currency", { funding_wan: "5000美元" }, "funding_wan", "errors.funding_currency"],
    ["an amount finer than a fen", { funding_wan: "1.2345678" }, "funding_wan", "errors.funding_number"],
    ["a count with a fraction", { participants_count: "4.5人" }, "participants_count", "errors.whole_number"],
    ["a negative count", { participants_count: "-3人" }, "participants_count", "errors.negative"],
    ["a count over the limit", { participants_count: "2000000人次" }, "participants_count", "errors.too_large"],
    ["a date that does not exist", { start_date: "2025年2月30日" }, "start_date", "errors.date"],
    ["a year alone", { start_date: "2025年" }, "start_date", "errors.date"],
    ["a range in one date field", { start_date: "2025年3月5日至8日" }, "start_date", "errors.date"],
  ];
  for (const [name, overrides, field, key] of refused) {
    it(`still refuses ${name}, with the field's own message (400)`, async () => {
      const response = await postForm(await sessionCookieFor("xsbn"), { title: `表单：${name}`, ...overrides });
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.errors[field]).toBe(key);
      expect(body.values[field]).toBe(overrides[field]); // what the user typed comes back
    });
  }

  it("finds an end before the start when both are written the Chinese way", async () => {
    const response = await postForm(await sessionCookieFor("xsbn"), {
      title: "表单：结束早于开始",
      start_date: "2025年3月8日",
      end_date: "2025年3月5日",
    });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.end_date).toBe("errors.end_before_start");
  });
});

describe("the same text through the form and through a spreadsheet", () => {
  it("stores the same value", async () => {
    // The spreadsheet: one row per case, every other cell plain.
    const rows = CASES.map(([field, text], i) => {
      const row: (string | number)[] = [`导入：同值 ${i}`, "出访", "2024-04-01", "2024-04-03", "已完成", "4.2.5", "老挝", 1, 6, 12.5, "勐腊县"];
      row[COLUMN[field]] = text;
      if (field === "start_date") row[3] = text;
      return row;
    });
    const form = new FormData();
    const bytes = await buildSimpleWorkbook(HEADERS, rows);
    form.append("file", new File([new Uint8Array(bytes)], "同值.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    const cookie = await sessionCookieFor("xsbn");
    const uploaded = (await importsRoute.action({
      request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form }),
      params: {},
      context: {},
    })) as Response;
    expect(uploaded.status).toBe(302);
    await importJobsIdle(db);
    const uploadId = /upload=(\d+)/.exec(uploaded.headers.get("Location")!)![1]!;
    const imported = await call(importsRoute.action, "/imports", { cookie, form: { upload_id: uploadId, mode: "all" } });
    expect(imported.status, await imported.clone().text()).toBeLessThan(400);

    for (const [i, [field, text, expected]] of CASES.entries()) {
      const overrides: Record<string, string> = { title: `表单：同值 ${i}`, [field]: text };
      if (field === "start_date") overrides.end_date = text;
      const response = await postForm(cookie, overrides);
      expect(response.status, `the form refused ${field} "${text}": ${await response.clone().text()}`).toBe(302);

      const viaForm = await stored(`表单：同值 ${i}`);
      const viaImport = await stored(`导入：同值 ${i}`);
      expect(viaForm[STORED[field]], `form, ${field} "${text}"`).toBe(expected);
      expect(viaImport[STORED[field]], `import, ${field} "${text}"`).toBe(expected);
    }
  });
});
