// Spreadsheet injection: text a user typed that a spreadsheet would run (= + - @, a leading tab or CR, their
// full-width forms) goes into every text field through the real forms, then comes out of every download. In the
// CSV it is defused with a leading ' (OWASP); in every workbook it is a string cell, never a formula, and formatted
// as text so it stays text when edited. Every workbook is read back with exceljs, every cell of every sheet.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createActivity } from "~/models/activity.server";
import * as newActivity from "~/routes/activities.new";
import * as reportRoute from "~/routes/reports.$unit.$period";
import * as evaluation from "~/routes/evaluation.$period";
import * as newIndicator from "~/routes/indicators.new";
import * as indicatorPage from "~/routes/indicators.$id._index";
import * as csvRoute from "~/routes/exports.activities[.]csv";
import * as activitiesXlsx from "~/routes/exports.activities[.]xlsx";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import * as evaluationRoute from "~/routes/exports.evaluation[.]xlsx";
import * as templateRoute from "~/routes/imports.template[.]xlsx";
import * as failedRoute from "~/routes/imports.$id.failed[.]xlsx";
import * as importsRoute from "~/routes/imports._index";
import * as draftsRoute from "~/routes/drafts";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook } from "../fixtures/build-fixtures";
import { BASE, call, counterpartAsWords, sessionCookieFor, unitId, validActivityForm } from "../helpers";

/** What a spreadsheet would run, as a user could type it into a form. */
const PAYLOADS = [
  '=HYPERLINK("http://evil","x")',
  "=1+2",
  "+cmd|' /C calc'!A0",
  "@SUM(1)",
  "-2+3",
  "＝1+2",
  "＠SUM(1)",
];
/** Text that must simply come out as it went in. */
const LITERALS = ["{{7*7}}", "javascript:window.__xss=1", "a < b & c > d \"quoted\" 'single'"];
/** A leading tab or CR is trimmed by the forms; a row written without them (an older import, a script) keeps it. */
const HIDDEN_START = ["\t=1+2", "\r=1+2"];
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

const DATE = "2024-04-13";
const PERIOD = "2024-H1";
let xsbn: number;
let xsbnCookie: string;

async function planItemId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  expect(response.status, await response.clone().text().catch(() => "")).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

/** Every cell of every sheet: none is a formula; text that looks like one is a string cell formatted as text. */
function expectNoFormulas(workbook: ExcelJS.Workbook, label: string): string[] {
  const texts: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const where = `${label} ${sheet.name}!${cell.address}`;
        expect(cell.type, `${where} is a formula: ${JSON.stringify(cell.value)}`).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula, where).toBeUndefined();
        if (typeof cell.value === "string") {
          texts.push(cell.value);
          if (FORMULA_START.test(cell.value)) {
            expect(cell.type, where).toBe(ExcelJS.ValueType.String);
            expect(cell.numFmt, `${where} "${cell.value}" should be formatted as text`).toBe("@");
          }
        }
      });
    });
  });
  return texts;
}

/** RFC 4180 fields of a CSV body (BOM stripped). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && body[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

beforeAll(async () => {
  xsbn = await unitId("yn-xsbn");
  xsbnCookie = await sessionCookieFor("xsbn");
  // every text field of the activity form, through the real action
  for (const [i, payload] of [...PAYLOADS, ...LITERALS].entries()) {
    const response = await call(newActivity.action, "/activities/new", {
      cookie: xsbnCookie,
      form: await validActivityForm("yn-xsbn", {
        title: payload,
        counterpart_body: payload,
        location: payload,
        funding_source: payload,
        outcome: payload,
        start_date: DATE,
        end_date: DATE,
        primary_plan_item: "4.2.5",
        evidence_label: [payload],
        evidence_url: [`https://example.org/evidence/${i}`],
        // the payload names no body of the counterpart register: kept as words, as the form's question allows
        ...counterpartAsWords(payload),
      }),
    });
    expect(response.status, `${payload}: ${await response.clone().text()}`).toBe(302);
  }
  for (const payload of HIDDEN_START) {
    await createActivity(
      db,
      {
        organizationId: xsbn,
        title: payload,
        type: "meeting",
        startDate: DATE,
        endDate: DATE,
        status: "completed",
        primaryPlanItemId: await planItemId("4.2.5"),
        otherPlanItemIds: [],
        countries: ["LA"],
        counterpartBody: payload,
        location: payload,
        delegationsCount: 1,
        participantsCount: 2,
        fundingCnyFen: null,
        fundingSource: payload,
        outcome: payload,
        evidence: [],
      },
      null,
    );
  }
  // the narratives of the period report: 进展情况 / 存在问题 / 下一步打算 / 需协调事项
  const item = String(await planItemId("4.2.5"));
  const saved = await call(reportRoute.action, `/reports/${xsbn}/${PERIOD}`, {
    cookie: xsbnCookie,
    params: { unit: String(xsbn), period: PERIOD },
    form: {
      intent: "save",
      version: "0",
      item_ids: [item],
      [`progress_${item}`]: PAYLOADS[0]!,
      [`problems_${item}`]: PAYLOADS[1]!,
      [`next_steps_${item}`]: PAYLOADS[2]!,
      [`coordination_${item}`]: PAYLOADS[3]!,
    },
  });
  expect(saved.status, await saved.clone().text()).toBe(302);
  // a reviewer's rating comment and override reason
  const rated = await call(evaluation.action, `/evaluation/${PERIOD}`, {
    cookie: await sessionCookieFor("reviewer"),
    params: { period: PERIOD },
    form: { plan_item_id: item, rating: "red", comment: PAYLOADS[1]!, override_reason: PAYLOADS[3]! },
  });
  expect(rated.status, await rated.clone().text()).toBe(302);
  // an indicator named like a formula, and a value entered with a formula-like source note
  const created = await call(newIndicator.action, "/indicators/new", {
    cookie: await sessionCookieFor("admin"),
    form: {
      code: "hostile-1",
      name_zh: PAYLOADS[1]!,
      name_en: PAYLOADS[3]!,
      plan_item: "4.2.5",
      unit: "次",
      baseline_value: "1",
      baseline_year: "2022",
      target_value: "9",
      direction: "up",
      measure: "flow",
      source: "entered",
      computation: "",
      activity_type: "",
      period_kind: "half",
    },
  });
  expect(created.status, await created.clone().text()).toBe(302);
  const indicatorId = created.headers.get("Location")!.match(/\/indicators\/(\d+)/)![1]!;
  const entered = await call(indicatorPage.action, `/indicators/${indicatorId}`, {
    cookie: await sessionCookieFor("xsbn_leader"),
    params: { id: indicatorId },
    form: { organization_id: String(xsbn), period: PERIOD, value: "3", source_note: PAYLOADS[0]! },
  });
  expect(entered.status, await entered.clone().text()).toBe(302);
});

describe("formula injection in the downloads", () => {
  const query = () => `unit=${xsbn}&from=${DATE}&to=${DATE}`;

  it("the activity CSV: formula-like text starts with ', everything else comes out as typed", async () => {
    const response = await call(csvRoute.loader, `/exports/activities.csv?${query()}`, { cookie: xsbnCookie });
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text());
    const fields = rows.slice(1).flat();
    for (const field of fields) expect(FORMULA_START.test(field), `CSV field ${JSON.stringify(field)} would run as a formula`).toBe(false);
    for (const payload of [...PAYLOADS, ...HIDDEN_START]) expect(fields, payload).toContain(`'${payload}`);
    for (const literal of LITERALS) expect(fields, literal).toContain(literal);
  });

  it("the activity workbook: payloads are string cells holding the text literally", async () => {
    const texts = expectNoFormulas(
      await workbookOf(await call(activitiesXlsx.loader, `/exports/activities.xlsx?${query()}`, { cookie: xsbnCookie })),
      "activities.xlsx",
    );
    for (const payload of [...PAYLOADS, ...LITERALS]) expect(texts, JSON.stringify(payload)).toContain(payload);
    // XML reads a raw CR back as a line feed; the cell is still a string cell (checked above), never a formula
    for (const payload of HIDDEN_START) expect(texts, JSON.stringify(payload)).toContain(payload.replace("\r", "\n"));
  });

  it("the 工作台账: activity fields and the report's narratives are text, never formulas", async () => {
    const texts = expectNoFormulas(
      await workbookOf(await call(ledgerRoute.loader, `/exports/ledger.xlsx?unit=${xsbn}&period=${PERIOD}`, { cookie: xsbnCookie })),
      "ledger.xlsx",
    );
    const all = texts.join("\n");
    for (const payload of [...PAYLOADS, ...LITERALS]) expect(all, payload).toContain(payload);
    // the narratives fill whole cells of their columns
    for (const narrative of PAYLOADS.slice(0, 4)) expect(texts.some((t) => t.startsWith(narrative)), narrative).toBe(true);
  });

  it("the evaluation workbook: rating comments, override reasons and indicator names are text", async () => {
    const texts = expectNoFormulas(
      await workbookOf(await call(evaluationRoute.loader, `/exports/evaluation.xlsx?period=${PERIOD}`, { cookie: await sessionCookieFor("official") })),
      "evaluation.xlsx",
    );
    const all = texts.join("\n");
    expect(all).toContain(PAYLOADS[1]);
    expect(all).toContain(PAYLOADS[3]);
  });

  it("the import template has no formula cells (its drop-downs are data validations)", async () => {
    expectNoFormulas(await workbookOf(await call(templateRoute.loader, "/imports/template.xlsx", { cookie: xsbnCookie })), "template.xlsx");
  });

  it("the failed-rows file gives back formula-like cell values as text", async () => {
    const rows = PAYLOADS.map((p) => [p, "会议", "不是日期", null, null, "4.2.5", p, p]);
    const headers = [...TEMPLATE_HEADERS_ZH.slice(0, 6), "对方机构", "地点"];
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await buildSimpleWorkbook(headers, rows))], "=1+2.xlsx"));
    const uploaded = (await importsRoute.action({
      request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: xsbnCookie }, body: form }),
      params: {},
      context: {},
    })) as Response;
    expect(uploaded.status).toBe(302);
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
    const id = new URL(uploaded.headers.get("Location")!, BASE).searchParams.get("upload")!;
    const texts = expectNoFormulas(
      await workbookOf(await call(failedRoute.loader, `/imports/${id}/failed.xlsx`, { cookie: xsbnCookie, params: { id } })),
      "failed.xlsx",
    );
    for (const payload of PAYLOADS) expect(texts, payload).toContain(payload);
  });

  it("the drafted report quotes the titles literally", async () => {
    const response = await call(draftsRoute.loader, `/drafts?unit=${xsbn}&period=${PERIOD}`, { cookie: xsbnCookie });
    expect(response.status).toBe(200);
    const page = await response.json();
    for (const text of ["{{7*7}}", "javascript:window.__xss=1", "=1+2"]) expect(page.draft.zh.text, text).toContain(text);
  });
});
