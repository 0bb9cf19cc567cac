// What a preview says about each row, pinned: the outcome, the messages, the values the form would hold, the
// activity kept for the import and its fingerprint, for every row of a few files that together touch every rule
// (the messy ledger, rows built to break each of the form's rules, rows already in the ledger, repeats, ordinary
// rows). The expected answers (tests/fixtures/import-outcomes.golden.json) were written by the code before the
// preview was made faster; a faster reader or checker must answer the same, row for row. The activity form's own
// answers (field errors, or the values it keeps) on a corpus of values are pinned the same way.
//
// To write the file again on purpose: UPDATE_GOLDEN=1 npx vitest run tests/integration/import-outcomes-golden.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import { activityFormSchema, checkActivityForm, crossFieldErrors, fieldErrors } from "~/schemas/activity";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, sessionCookieFor, unitId, validActivityForm } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildMessyLedger, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";

const GOLDEN = new URL("../fixtures/import-outcomes.golden.json", import.meta.url);
const update = process.env.UPDATE_GOLDEN === "1";

type Cell = string | number | Date | null | { text: string; hyperlink: string };
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** One row of the template's 18 columns, from a valid row with some cells changed. */
function templateRow(changes: Partial<Record<(typeof TEMPLATE_HEADERS_ZH)[number], Cell>>): Cell[] {
  const base: Record<string, Cell> = {
    活动名称: "勐腊县赴老挝南塔省开展农业技术交流",
    活动类型: "出访",
    开始日期: day("2025-03-05"),
    结束日期: day("2025-03-08"),
    状态: "已完成",
    主要对应条款: "4.2.5",
    其他对应条款: "5.4",
    对方国家: "老挝",
    对方机构: "老挝南塔省",
    地点: "老挝南塔省",
    团组批次: 1,
    人次: 6,
    "资金（万元）": 12.5,
    资金来源: "州级财政",
    成果: "签署农业技术合作纪要1份。",
    佐证材料链接: "https://example.org/news/1",
    填报单位: "勐腊县",
    配合单位: "",
  };
  return TEMPLATE_HEADERS_ZH.map((h) => (h in changes ? changes[h as keyof typeof changes]! : base[h]!));
}

// Each breaks (or bends) one rule; the comment says which.
const TRICKY_ROWS: Cell[][] = [
  templateRow({}),
  templateRow({ 活动名称: "很长的标题".repeat(45) }), // over 200 characters
  templateRow({ 活动名称: "<b>加粗</b>的活动" }), // markup
  templateRow({ 活动名称: "隐藏\u202E字符" }), // a bidirectional override
  templateRow({ 活动名称: "   " }), // blank title
  templateRow({ 活动名称: "a < b 的比较会议" }), // plain text with "<"
  templateRow({ 活动类型: "" }), // type guessed from the title
  templateRow({ 活动类型: "野餐" }), // unknown type
  templateRow({ 开始日期: "2025年3月5日", 结束日期: "2025年3月4日" }), // end before start
  templateRow({ 开始日期: "3月5日至8日", 结束日期: null }), // a range
  templateRow({ 开始日期: "下周", 结束日期: null }), // not a date
  templateRow({ 开始日期: null }), // blank start
  templateRow({ 结束日期: null }), // end from the start
  templateRow({ 状态: "" }), // status from the dates
  templateRow({ 状态: "差不多" }), // unknown status
  templateRow({ 主要对应条款: "" }), // required
  templateRow({ 主要对应条款: "4.2.5、5.4" }), // several
  templateRow({ 主要对应条款: "99.9" }), // unknown
  templateRow({ 主要对应条款: "4" }), // not loggable, or loose
  templateRow({ 其他对应条款: "4.2.5, 5.4, 4.3.1, 88.1" }), // the primary again, and an unknown one
  templateRow({ 对方国家: "中国" }), // refused
  templateRow({ 对方国家: "火星" }), // unknown
  templateRow({ 对方国家: "湄公河五国" }), // the Mekong countries
  templateRow({ 对方国家: "" }), // countries from the body
  templateRow({ 对方机构: "老挝万象市工贸厅" }), // a body the register does not know
  templateRow({ 对方机构: "某机构", 对方国家: "老挝、缅甸" }), // unknown, no one country
  templateRow({ 对方机构: "长".repeat(301) }), // over 300 characters
  templateRow({ 地点: "<script>x</script>" }),
  templateRow({ 团组批次: "3批", 人次: "47人次" }),
  templateRow({ 团组批次: "三", 人次: "-5" }),
  templateRow({ 团组批次: 2_000_000, 人次: "３０" }), // too large; full-width digits
  templateRow({ "资金（万元）": "30万元" }),
  templateRow({ "资金（万元）": "300000元" }),
  templateRow({ "资金（万元）": "5美元" }),
  templateRow({ "资金（万元）": "很多" }),
  templateRow({ 资金来源: "来源".repeat(101) }),
  templateRow({ 成果: "成果\u0007" }), // a control character
  templateRow({ 佐证材料链接: "见附件" }), // not a link
  templateRow({ 佐证材料链接: "新闻 https://example.org/a https://example.org/b" }),
  templateRow({ 佐证材料链接: { text: "报道", hyperlink: "https://example.org/linked" } }),
  templateRow({ 佐证材料链接: `https://example.org/${"x".repeat(2100)}` }), // over 2,000 characters
  templateRow({ 填报单位: "" }), // the user's own unit
  templateRow({ 填报单位: "昆明市" }), // not the user's
  templateRow({ 填报单位: "火星县" }), // unknown
  templateRow({ 填报单位: "勐腊" }), // loose
  templateRow({ 配合单位: "景洪市、州商务局、州文化和旅游局" }), // a unit and departments
  templateRow({ 配合单位: "勐腊县" }), // the lead as its own partner
  templateRow({ 配合单位: Array.from({ length: 21 }, (_, i) => `部门${i}`).join("、") }), // too many
  templateRow({ 配合单位: "部".repeat(101) }), // a name too long
  // in the ledger already (a seeded activity), in a period still open
  templateRow({ 开始日期: day("2024-01-01"), 结束日期: day("2024-01-01"), 填报单位: "西双版纳傣族自治州", 活动类型: "节庆/文化活动", 活动名称: "支持边境民间艺术团体、工商界团组互访，参加澜沧江·湄公河文化艺术节、泼水节等活动" }),
  // in the ledger, and in a period whose report is approved
  templateRow({ 开始日期: day("2023-01-01"), 结束日期: day("2023-01-01"), 填报单位: "西双版纳傣族自治州", 活动类型: "出访", 活动名称: "2023年上半年全州各级政府代表团赴境外涉外活动共10批47人次" }),
].map((row, i) => (i > 0 && row[0] === "勐腊县赴老挝南塔省开展农业技术交流" ? [`勐腊县赴老挝南塔省开展农业技术交流（${i}）`, ...row.slice(1)] : row));
TRICKY_ROWS.push(templateRow({}), templateRow({ 活动名称: "勐腊县赴老挝南塔省开展农业技术交流 " })); // repeats of the first row

async function previewOf(name: string, bytes: Buffer) {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const cookie = await sessionCookieFor("xsbn");
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form });
  const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  expect(response.status).toBe(302);
  await importJobsIdle(db);
  const id = Number(/upload=(\d+)/.exec(response.headers.get("Location")!)?.[1]);
  const job = await db
    .selectFrom("activity_imports")
    .select(["state", "sheet_name", "header_row", "headers_json", "notes_json", "row_count"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("import_rows")
    .select(["sheet_row", "outcome", "status", "title", "values_json", "messages_json", "raw_json", "fingerprint", "input_json"])
    .where("import_id", "=", id)
    .orderBy("sheet_row")
    .execute();
  return {
    job: { ...job, headers_json: JSON.parse(job.headers_json ?? "null"), notes_json: JSON.parse(job.notes_json ?? "null") },
    rows: rows.map((r) => ({
      ...r,
      values_json: JSON.parse(r.values_json),
      messages_json: JSON.parse(r.messages_json),
      raw_json: JSON.parse(r.raw_json),
      input_json: r.input_json === null ? null : JSON.parse(r.input_json),
    })),
  };
}

/** The activity form's answer on some values: its field errors, or the values it keeps. */
function formAnswer(values: Record<string, string | string[]>) {
  const parsed = activityFormSchema.safeParse(values);
  const errors = { ...crossFieldErrors(values), ...(parsed.success ? {} : fieldErrors(parsed.error)) };
  return parsed.success ? { errors, data: parsed.data } : { errors };
}

async function formCorpus(): Promise<Record<string, string | string[]>[]> {
  const lead = String(await unitId("yn-xsbn-mengla"));
  const valid: Record<string, string | string[]> = await validActivityForm("yn-xsbn-mengla", { partner_units: [], partner_departments: "" });

  const changes: Record<string, string | string[]>[] = [
    {},
    { organization_id: "" },
    { organization_id: "abc" },
    { organization_id: "-3" },
    { organization_id: "1.5" },
    { organization_id: " 12 " },
    { title: "" },
    { title: "  标题  " },
    { title: "x".repeat(200) },
    { title: "x".repeat(201) },
    { title: "<i>x</i>" },
    { title: "a\u0000b" },
    { title: "a\u2066b" },
    { title: "a\tb\nc" },
    { type: "" },
    { type: "picnic" },
    { type: "meeting" },
    { status: "done" },
    { status: "" },
    { start_date: "" },
    { start_date: "2025年3月5日" },
    { start_date: "2025/3/5" },
    { start_date: "2025-02-30" },
    { start_date: "3月5日至8日" },
    { start_date: "tomorrow" },
    { end_date: "2024-03-01" },
    { end_date: "" },
    { start_date: "  2024-03-05  ", end_date: "2024.3.8" },
    { primary_plan_item: "" },
    { primary_plan_item: " 4.2.5 " },
    { primary_plan_item: "4.2.5.1.1" },
    { primary_plan_item: "x" },
    { plan_items: ["5.4", "bad"] },
    { plan_items: Array.from({ length: 61 }, (_, i) => `1.${i}`) },
    { plan_items: Array.from({ length: 61 }, () => "bad") },
    { countries: [] },
    { countries: ["CN"] },
    { countries: ["HK"] },
    { countries: ["ZZ"] },
    { countries: [" LA ", "MM"] },
    { countries: Array.from({ length: 61 }, () => "LA") },
    { counterpart_body: "x".repeat(301) },
    { counterpart_body: "<a href>" },
    { location: "x".repeat(201) },
    { delegations_count: "" },
    { delegations_count: "3批" },
    { delegations_count: "３０" },
    { delegations_count: "1000001" },
    { delegations_count: "1.5" },
    { delegations_count: "-1" },
    { participants_count: "47人次" },
    { participants_count: "五十" },
    { participants_count: " 1,000 " },
    { funding_wan: "" },
    { funding_wan: " , " },
    { funding_wan: "30万元" },
    { funding_wan: "300000元" },
    { funding_wan: "1.5亿" },
    { funding_wan: "5美元" },
    { funding_wan: "abc" },
    { funding_wan: "0.000001" },
    { funding_wan: "-3" },
    { funding_source: "x".repeat(201) },
    { outcome: "x".repeat(5000) },
    { outcome: "x".repeat(5001) },
    { evidence_url: [""], evidence_label: [""] },
    { evidence_url: ["ftp://example.org"], evidence_label: ["x"] },
    { evidence_url: ["not a url"], evidence_label: [""] },
    { evidence_url: [`https://example.org/${"x".repeat(2000)}`], evidence_label: [""] },
    { evidence_url: Array.from({ length: 21 }, (_, i) => `https://example.org/${i}`), evidence_label: [] },
    { evidence_label: ["x".repeat(201)] },
    { evidence_label: ["<b>"] },
    { partner_units: ["12", "x"] },
    { partner_units: [lead] },
    { partner_units: [` ${lead} `] },
    { partner_units: Array.from({ length: 31 }, (_, i) => String(i + 1)) },
    { partner_units: ["1234567890"] },
    { partner_departments: "州商务局、州文化和旅游局，州商务局" },
    { partner_departments: Array.from({ length: 21 }, (_, i) => `部门${i}`).join("、") },
    { partner_departments: "部".repeat(101) },
    { partner_departments: "x".repeat(2001) },
    { partner_departments: "<b>部门</b>" },
    { title: "", type: "", start_date: "", end_date: "", status: "", primary_plan_item: "", organization_id: "" },
  ];
  return changes.map((c) => ({ ...valid, ...c }));
}

describe("a preview answers every row as it did before it was made faster", () => {
  it("the same outcomes, messages, values and kept activities, row for row, and the activity form the same answers", async () => {
    const files: [string, Buffer][] = [
      ["messy.xlsx", await buildMessyLedger()],
      ["tricky.xlsx", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, TRICKY_ROWS as never)],
      ["ordinary.xlsx", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(60, { units: ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县", "昆明市"], seed: "黄金" }))],
    ];
    const actual: Record<string, unknown> = {};
    for (const [name, bytes] of files) actual[name] = await previewOf(name, bytes);
    actual.form = (await formCorpus()).map((values) => ({ values, answer: formAnswer(values) }));
    // a plain JSON round trip: what the file holds (dates as text, no undefined)
    const answers = JSON.parse(JSON.stringify(actual));
    if (update) writeFileSync(GOLDEN, `${JSON.stringify(answers, null, 1)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, "utf8"));
    for (const name of Object.keys(golden)) {
      if (name === "form") continue;
      expect(answers[name].job, `${name}: the sheet, its header and notes`).toEqual(golden[name].job);
      expect(answers[name].rows.length, `${name}: rows`).toBe(golden[name].rows.length);
      for (let i = 0; i < golden[name].rows.length; i++) {
        expect(answers[name].rows[i], `${name}, sheet row ${golden[name].rows[i].sheet_row}`).toEqual(golden[name].rows[i]);
      }
    }
    for (let i = 0; i < golden.form.length; i++) {
      const about = `the form on ${JSON.stringify(golden.form[i].values).slice(0, 200)}`;
      expect(answers.form[i], about).toEqual(golden.form[i]);
      // the rules run directly (the form's action, the import) answer as the schema made from them does
      if (!update) {
        const direct = checkActivityForm(golden.form[i].values);
        const errors = { ...crossFieldErrors(golden.form[i].values), ...(direct.success ? {} : direct.errors) };
        expect(JSON.parse(JSON.stringify(direct.success ? { errors, data: direct.data } : { errors })), `${about}, checked directly`).toEqual(golden.form[i].answer);
      }
    }
  });
});

describe("the activity form's rules, run directly, answer as the schema made from them", () => {
  it("on values of another kind than a browser sends (a missing field, a number, a list where text goes)", async () => {
    const valid = (await formCorpus())[0]!;
    const odd: Record<string, unknown>[] = [
      { ...valid, title: undefined },
      { ...valid, title: 5 },
      { ...valid, plan_items: "5.4" },
      { ...valid, countries: ["LA", 3] },
      { ...valid, organization_id: 12 },
      { ...valid, organization_id: undefined },
      {},
    ];
    for (const values of odd) {
      const parsed = activityFormSchema.safeParse(values);
      const direct = checkActivityForm(values);
      expect(direct, JSON.stringify(values)).toEqual(parsed.success ? { success: true, data: parsed.data } : { success: false, errors: fieldErrors(parsed.error) });
    }
  });
});
