// Hostile form bodies on every write action: missing fields, several values where one is expected, unknown
// intents, wrong types, absurd numbers (1e20 万元, negative counts), impossible dates, markup and script URLs.
// Each gets a 400 naming the field (or a 404 for a row that cannot exist), never a 500, and writes nothing.
import { describe, expect, it } from "vitest";
import { createIndicator } from "~/models/indicator.server";
import * as newActivity from "~/routes/activities.new";
import * as editActivity from "~/routes/activities.$id.edit";
import * as reportRoute from "~/routes/reports.$unit.$period";
import * as evaluation from "~/routes/evaluation.$period";
import * as periods from "~/routes/admin.periods";
import * as newIndicator from "~/routes/indicators.new";
import * as editIndicator from "~/routes/indicators.$id.edit";
import * as indicatorPage from "~/routes/indicators.$id._index";
import * as importsRoute from "~/routes/imports._index";
import * as locale from "~/routes/locale";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook } from "../fixtures/build-fixtures";
import { BASE, call, formBody, idOfSeed, sessionCookieFor, unitId, validActivityForm } from "../helpers";

type Fields = Record<string, string | string[]>;
type Handler = (args: any) => unknown;

async function state() {
  const [activities, reports, items, ratings, periodRows, indicators, targets, values, uploads, users, audit] = await Promise.all([
    db.selectFrom("activities").selectAll().orderBy("id").execute(),
    db.selectFrom("period_reports").selectAll().orderBy("id").execute(),
    db.selectFrom("report_items").selectAll().orderBy("id").execute(),
    db.selectFrom("plan_item_ratings").selectAll().orderBy("id").execute(),
    db.selectFrom("reporting_periods").selectAll().orderBy("id").execute(),
    db.selectFrom("indicators").selectAll().orderBy("id").execute(),
    db.selectFrom("indicator_period_targets").selectAll().orderBy("indicator_id").orderBy("period_id").execute(),
    db.selectFrom("indicator_values").selectAll().orderBy("id").execute(),
    db.selectFrom("activity_imports").select(["id", "status"]).orderBy("id").execute(),
    db.selectFrom("users").select(["id", "locale"]).orderBy("id").execute(),
    db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { activities, reports, items, ratings, periodRows, indicators, targets, values, uploads, users, audit: Number(audit.n) };
}

/** Posts the fields; expects the status, an error on each named field, and no change anywhere. */
async function refused(
  handler: Handler,
  path: string,
  options: { username: string; params?: Record<string, string>; form: Fields | URLSearchParams },
  status: number,
  errorFields: string[] = [],
) {
  const before = await state();
  const response = await call(handler, path, { cookie: await sessionCookieFor(options.username), params: options.params, form: options.form });
  const text = await response.clone().text();
  const label = `${path} ${options.form instanceof URLSearchParams ? options.form.toString() : JSON.stringify(options.form)}`.slice(0, 300);
  expect(response.status, `${label} → ${text.slice(0, 300)}`).toBe(status);
  if (errorFields.length) {
    const body = JSON.parse(text);
    for (const field of errorFields) expect(body.errors?.[field], `${label}: error on ${field} in ${text.slice(0, 300)}`).toBeTruthy();
  }
  expect(await state(), `${label} wrote something`).toEqual(before);
}

const HUGE = ["1e20", "100000000000000000000", "99999999999999999999999999999", "Infinity", "NaN", "0x10", "1e3"];

describe("hostile bodies on the activity form", () => {
  const post = (fields: Fields) => ({ username: "xsbn", form: fields });

  it("an empty body names every required field", async () => {
    await refused(newActivity.action, "/activities/new", post({}), 400, ["title", "type", "start_date", "end_date", "status", "primary_plan_item"]);
  });

  it("several values where one is expected → 400 on that field", async () => {
    const base = await validActivityForm("yn-xsbn");
    for (const field of ["title", "type", "status", "start_date", "end_date", "primary_plan_item", "funding_wan", "participants_count", "location"]) {
      const value = base[field as keyof typeof base] as string;
      await refused(newActivity.action, "/activities/new", post({ ...base, [field]: [value, value] }), 400, [field]);
    }
    // two units, the first one's own: neither is taken
    await refused(newActivity.action, "/activities/new", post({ ...base, organization_id: [base.organization_id, String(await unitId("yn-km"))] }), 400, ["organization_id"]);
  });

  it("wrong types and unknown choices → 400 on the field", async () => {
    const base = await validActivityForm("yn-xsbn");
    const cases: [string, string | string[]][] = [
      ["type", "constructor"],
      ["type", "__proto__"],
      ["status", "toString"],
      ["primary_plan_item", "__proto__"],
      ["primary_plan_item", "9.9.9"],
      ["plan_items", ["4.2.5", "abc"]],
      ["countries", ["XX"]],
      ["countries", ["__proto__"]],
      ["participants_count", "abc"],
      ["participants_count", "1.5"],
      ["delegations_count", "[]"],
      ["funding_wan", "abc"],
      ["funding_wan", "1,2.3.4"],
    ];
    for (const [field, value] of cases) await refused(newActivity.action, "/activities/new", post({ ...base, [field]: value }), 400, [field]);
  });

  it("absurd amounts and counts: 1e20 万元, negative or astronomical people → 400", async () => {
    const base = await validActivityForm("yn-xsbn");
    // Full-width digits ("１２") are read as the import reads them (tests/integration/shared-values.test.ts).
    for (const value of [...HUGE, "-1", "-0.01"]) {
      await refused(newActivity.action, "/activities/new", post({ ...base, funding_wan: value }), 400, ["funding_wan"]);
      await refused(newActivity.action, "/activities/new", post({ ...base, participants_count: value }), 400, ["participants_count"]);
      await refused(newActivity.action, "/activities/new", post({ ...base, delegations_count: value }), 400, ["delegations_count"]);
    }
  });

  it("dates out of range or impossible → 400", async () => {
    const base = await validActivityForm("yn-xsbn");
    // "2024-3-5", "20240305" and "2024-03-05T00:00" are days the import reads too (tests/integration/shared-values.test.ts).
    for (const value of ["2023-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "1949-12-31", "2101-01-01", "yesterday", "2024年", "2024-03-05至08"]) {
      await refused(newActivity.action, "/activities/new", post({ ...base, start_date: value }), 400, ["start_date"]);
    }
    await refused(newActivity.action, "/activities/new", post({ ...base, start_date: "2024-03-08", end_date: "2024-03-05" }), 400, ["end_date"]);
  });

  it("markup in text and script URLs in evidence → 400 with a field error", async () => {
    const base = await validActivityForm("yn-xsbn");
    for (const field of ["title", "counterpart_body", "location", "funding_source", "outcome"]) {
      for (const value of ["<script>window.__xss=1</script>", '"><img src=x onerror="window.__xss=1">', "<svg/onload=alert(1)>", "x\u202Eevil"]) {
        await refused(newActivity.action, "/activities/new", post({ ...base, [field]: value }), 400, [field]);
      }
    }
    for (const url of [
      "javascript:window.__xss=1",
      "JaVaScRiPt:window.__xss=1",
      " javascript:window.__xss=1",
      "java\tscript:window.__xss=1",
      "data:text/html,<script>window.__xss=1</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "//evil.example/x",
      "example.org/no-scheme",
    ]) {
      await refused(newActivity.action, "/activities/new", post({ ...base, evidence_url: [url] }), 400, ["evidence_url"]);
    }
    await refused(newActivity.action, "/activities/new", post({ ...base, evidence_label: ['<img src=x onerror="window.__xss=1">'] }), 400, ["evidence_label"]);
  });

  it("the edit form: a version that is not a number → 400, a future one → 409; both write nothing", async () => {
    const id = String(await idOfSeed((await db.selectFrom("activities").select("seed_key").where("seed_key", "is not", null).where("start_date", ">=", "2024-01-01").orderBy("id").executeTakeFirstOrThrow()).seed_key!));
    const activity = await db.selectFrom("activities").select(["organization_id"]).where("id", "=", Number(id)).executeTakeFirstOrThrow();
    const unit = await db.selectFrom("organizations").select("code").where("id", "=", activity.organization_id).executeTakeFirstOrThrow();
    const username = unit.code.startsWith("yn-km") ? "kunming" : "xsbn";
    const base = await validActivityForm(unit.code);
    for (const version of ["", "abc", "-1", "0", "1.5", "Infinity", "__proto__"]) {
      await refused(editActivity.action, `/activities/${id}/edit`, { username, params: { id }, form: { ...base, version } }, 400);
    }
    for (const version of ["999999", "1e3"]) {
      await refused(editActivity.action, `/activities/${id}/edit`, { username, params: { id }, form: { ...base, version } }, 409);
    }
    await refused(editActivity.action, `/activities/${id}/edit`, { username, params: { id }, form: { ...base, version: "1", funding_wan: "1e20" } }, 400, ["funding_wan"]);
  });
});

describe("hostile bodies on the report, the rating, the periods", () => {
  const PERIOD = "2026-H2";
  it("reports: unknown or repeated intents, junk ids, markup in narratives and reasons → 400", async () => {
    const xsbn = String(await unitId("yn-xsbn"));
    const item = String((await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.5").executeTakeFirstOrThrow()).id);
    const path = `/reports/${xsbn}/${PERIOD}`;
    const as = (username: string, form: Fields) => ({ username, params: { unit: xsbn, period: PERIOD }, form });
    for (const intent of ["", "delete", "constructor", "__proto__", "valueOf", "SAVE"]) {
      await refused(reportRoute.action, path, as("xsbn_leader", { intent, version: "0" }), 400);
    }
    await refused(reportRoute.action, path, as("xsbn_leader", { intent: ["save", "submit"], version: "0" }), 400);
    for (const field of ["progress", "problems", "next_steps", "coordination"]) {
      await refused(reportRoute.action, path, as("xsbn", { intent: "save", version: "0", item_ids: [item], [`${field}_${item}`]: "<script>window.__xss=1</script>" }), 400, [`${field}_${item}`]);
    }
    // an item id that is no loggable plan item
    await refused(reportRoute.action, path, as("xsbn", { intent: "save", version: "0", item_ids: ["999999"], progress_999999: "进展" }), 400, ["extra_item"]);
    await refused(reportRoute.action, path, as("reviewer", { intent: "return", reason: '"><img src=x onerror="window.__xss=1">' }), 400, ["reason"]);
  });

  it("evaluation: junk plan item ids, ratings and comments → 400 (an id that is no plan item → 404)", async () => {
    const item = String((await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.1").executeTakeFirstOrThrow()).id);
    const as = (form: Fields) => ({ username: "reviewer", params: { period: "2024-H1" }, form });
    const base = { plan_item_id: item, rating: "red", comment: "评估意见", override_reason: "理由" };
    for (const plan_item_id of ["", "abc", "-1", "0", "1.5", "Infinity"]) {
      await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, plan_item_id }), 400, ["plan_item_id"]);
    }
    for (const plan_item_id of ["999999", "99999999999999999999"]) await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, plan_item_id }), 404);
    for (const rating of ["", "purple", "__proto__", "RED"]) await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, rating }), 400, ["rating"]);
    await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, rating: ["red", "green"] }), 400, ["rating"]);
    await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, comment: "" }), 400, ["comment"]);
    await refused(evaluation.action, "/evaluation/2024-H1", as({ ...base, comment: "<script>window.__xss=1</script>" }), 400, ["comment"]);
  });

  it("periods: unknown intents, absurd years and days, impossible dates → 400; a junk period id → 404", async () => {
    const period = String((await db.selectFrom("reporting_periods").select("id").where("code", "=", "2027-H2").executeTakeFirstOrThrow()).id);
    const as = (form: Fields) => ({ username: "admin", form });
    for (const intent of ["", "delete", "__proto__", "constructor"]) await refused(periods.action, "/admin/periods", as({ intent, period_id: period }), 400);
    const gen = { intent: "generate", kind: "half", from_year: "2027", to_year: "2027", due_days: "30" };
    for (const value of [...HUGE, "-1", "2022"]) {
      await refused(periods.action, "/admin/periods", as({ ...gen, from_year: value }), 400, ["from_year"]);
      await refused(periods.action, "/admin/periods", as({ ...gen, due_days: value === "2022" ? "121" : value }), 400, ["due_days"]);
    }
    await refused(periods.action, "/admin/periods", as({ ...gen, kind: "__proto__" }), 400, ["kind"]);
    for (const due_date of ["2028-02-30", "abc", "0000-01-01", "2027-01-01"]) {
      await refused(periods.action, "/admin/periods", as({ intent: "due", period_id: period, due_date }), 400, ["due_date"]);
    }
    await refused(periods.action, "/admin/periods", as({ intent: "close", period_id: period, reason: "" }), 400, ["reason"]);
    for (const period_id of ["", "abc", "-1", "1.5", "99999999999", "999999"]) {
      await refused(periods.action, "/admin/periods", as({ intent: "close", period_id, reason: "关闭" }), 404);
    }
  });
});

describe("hostile bodies on the indicator forms and the import", () => {
  const definition: Fields = {
    code: "hostile-def",
    name_zh: "指标",
    name_en: "Indicator",
    plan_item: "4.3.7",
    unit: "对",
    baseline_value: "23",
    baseline_year: "2022",
    target_value: "30",
    direction: "up",
    measure: "stock",
    source: "entered",
    computation: "",
    activity_type: "",
    period_kind: "half",
  };

  it("definitions: absurd numbers, junk choices, markup → 400 on the field", async () => {
    const as = (form: Fields) => ({ username: "admin", form });
    for (const value of [...HUGE.filter((v) => v !== "1e3"), "-1", "1e3", "abc"]) {
      await refused(newIndicator.action, "/indicators/new", as({ ...definition, baseline_value: value }), 400, ["baseline_value"]);
      await refused(newIndicator.action, "/indicators/new", as({ ...definition, target_value: value }), 400, ["target_value"]);
      await refused(newIndicator.action, "/indicators/new", as({ ...definition, "target_2024-H1": value }), 400, ["target_2024-H1"]);
    }
    for (const [field, value] of [
      ["code", "__proto__"],
      ["code", "../x"],
      ["unit", "constructor"],
      ["direction", "sideways"],
      ["baseline_year", "0"],
      ["baseline_year", "99999"],
      ["plan_item", "' or 1=1--"],
      ["name_zh", "<script>window.__xss=1</script>"],
      ["name_en", ""],
    ] as const) {
      await refused(newIndicator.action, "/indicators/new", as({ ...definition, [field]: value }), 400, [field]);
    }
    await refused(newIndicator.action, "/indicators/new", as({ ...definition, code: ["hostile-a", "hostile-b"] }), 400, ["code"]);
  });

  it("the edit form refuses the same, and leaves the indicator as it was", async () => {
    const id = String(
      await createIndicator(
        db,
        { code: "hostile-edit", planItemId: (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.7").executeTakeFirstOrThrow()).id, nameZh: "指标", nameEn: "Indicator", unit: "对", baselineValue: 1, baselineYear: 2022, targetValue: 2, direction: "up", measure: "stock", source: "entered", computation: null, periodTargets: [] },
        null,
      ),
    );
    await refused(editIndicator.action, `/indicators/${id}/edit`, { username: "admin", params: { id }, form: { ...definition, target_value: "1e20" } }, 400, ["target_value"]);
  });

  it("entered values: absurd or negative values, junk periods and units → 400; another unit → 403", async () => {
    const id = String(
      await createIndicator(
        db,
        { code: "hostile-value", planItemId: (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.7").executeTakeFirstOrThrow()).id, nameZh: "指标", nameEn: "Indicator", unit: "对", baselineValue: 1, baselineYear: 2022, targetValue: 2, direction: "up", measure: "stock", source: "entered", computation: null, periodTargets: [] },
        null,
      ),
    );
    const xsbn = String(await unitId("yn-xsbn"));
    const base = { organization_id: xsbn, period: "2024-H2", value: "7", source_note: "来源" };
    const as = (form: Fields) => ({ username: "xsbn", params: { id }, form });
    for (const value of [...HUGE.filter((v) => v !== "1e3"), "-5", "abc", ""]) {
      await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, value }), 400, ["value"]);
    }
    for (const period of ["2023-H9", "__proto__", "", "2024-H1' or 1=1--"]) {
      await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, period }), 400, ["period"]);
    }
    await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, source_note: "<script>window.__xss=1</script>" }), 400, ["source_note"]);
    await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, organization_id: "abc" }), 400, ["organization_id"]);
    await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, organization_id: [xsbn, String(await unitId("yn-km"))] }), 400, ["organization_id"]);
    await refused(indicatorPage.action, `/indicators/${id}`, as({ ...base, organization_id: String(await unitId("yn-km")) }), 403);
  });

  it("the import: junk modes and upload ids → 400/404", async () => {
    for (const mode of ["", "everything", "__proto__"]) {
      await refused(importsRoute.action, "/imports", { username: "xsbn", form: { upload_id: "1", mode } }, 400);
    }
    for (const upload_id of ["", "abc", "-1", "1.5", "99999999999999999999"]) {
      await refused(importsRoute.action, "/imports", { username: "xsbn", form: { upload_id, mode: "valid" } }, 404);
    }
  });

  it("an imported file with absurd amounts, counts and dates: every such row is an error, importing writes nothing", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const row = (funding: unknown, participants: unknown, start: unknown, n: number) => [
      `荒谬数值 ${n}`, "会议", start, start, "已完成", "4.2.5", "", "老挝", "老挝南塔省", "景洪", 1, participants, funding, "州级财政", "成果", "", "西双版纳傣族自治州",
    ];
    const rows = [
      row(1e20, 5, "2024-05-01", 1),
      row("1e20", 5, "2024-05-01", 2),
      row("100000000000000000000万元", 5, "2024-05-01", 3),
      row("Infinity", 5, "2024-05-01", 4),
      row(10, 1e20, "2024-05-01", 5),
      row(10, -5, "2024-05-01", 6),
      row(10, "99999999999999999999人次", "2024-05-01", 7),
      row(10, 5, "2023-02-30", 8),
      row(10, 5, "9999-12-31", 9),
      row(10, 5, "0000-01-01", 10),
    ];
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows as never))], "荒谬.xlsx"));
    const uploaded = (await importsRoute.action({
      request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form }),
      params: {},
      context: {},
    })) as Response;
    expect(uploaded.status).toBe(302);
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
    const id = new URL(uploaded.headers.get("Location")!, BASE).searchParams.get("upload")!;
    const preview = await (await call(importsRoute.loader, `/imports?upload=${id}&view=all`, { cookie })).json();
    expect(preview.preview.counts).toMatchObject({ total: rows.length, error: rows.length, ready: 0 });
    await refused(importsRoute.action, "/imports", { username: "xsbn", form: { upload_id: id, mode: "all" } }, 400);
    const before = await state();
    const response = await call(importsRoute.action, "/imports", { cookie, form: { upload_id: id, mode: "valid" } });
    expect(response.status).toBeLessThan(500);
    expect((await state()).activities).toEqual(before.activities);
  });

  it("the language switch: an unknown language → 400", async () => {
    for (const value of ["", "fr", "__proto__", "zh-CN<script>"]) {
      await refused(locale.action, "/locale", { username: "xsbn", form: formBody({ locale: value }) }, 400);
    }
  });
});
