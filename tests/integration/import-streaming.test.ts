// A spreadsheet is read as a stream: the header is looked for in the first rows and the reading stops there when
// there is none; the limits (rows, a cell's length, the shared strings) refuse a file the moment they are crossed,
// not after the whole sheet was read; and the cells come out as they always did (dates, rich text, formulas'
// cached values, errors, hyperlinks), on the rows Excel shows.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/translator.server";
import * as importsRoute from "~/routes/imports._index";
import { IMPORT_MAX_ROWS } from "~/schemas/activity-import";
import { HEADER_SEARCH_ROWS } from "~/services/activity-import/file-guard.server";
import { readSpreadsheet } from "~/services/activity-import/sheet.server";
import { MAX_CELL_CHARS, MAX_SHARED_STRINGS } from "~/services/activity-import/workbook.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, call, jsonOf, sessionCookieFor } from "../helpers";
import { buildHeaderlessNumbers, buildMinimalXlsx } from "../fixtures/build-fixtures";

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const HEADER = `<row r="1">${inline("A1", "活动名称")}${inline("B1", "活动类型")}${inline("C1", "开始日期")}${inline("D1", "主要对应条款")}</row>`;
const dataRow = (r: number, title = `活动 ${r}`) =>
  `<row r="${r}">${inline(`A${r}`, title)}${inline(`B${r}`, "会议")}${inline(`C${r}`, "2025-01-01")}${inline(`D${r}`, "4.2.5")}</row>`;

/** Uploads a file as the page does and waits for its job: the reason it was refused, as the page shows it. */
async function refusalOf(username: string, bytes: Buffer): Promise<{ key: string; params?: Record<string, string | number> }> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], "台账.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const cookie = await sessionCookieFor(username);
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form });
  const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  // the upload answers at once with the job's page; the worker thread reads the file meanwhile
  expect(response.status).toBe(302);
  await importJobsIdle(db);
  const location = response.headers.get("Location")!;
  const loaded = await call(importsRoute.loader, location, { cookie });
  expect(loaded.status, "the page of a refused file is answered, never a 500").toBe(200);
  const { job } = await jsonOf(loaded);
  expect(job.state).toBe("failed");
  return job.refusal;
}

describe("reading stops as soon as the answer is known", () => {
  it("a big sheet of numbers with no header is refused with 找不到表头 after its first rows", async () => {
    const file = buildHeaderlessNumbers(10_000, 60);
    const read = await readSpreadsheet(file);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.refusal.key).toBe("imports.refused.no_header");
    // the header search window, not the 10,000 rows under it
    expect(read.read.rows).toBeLessThanOrEqual(HEADER_SEARCH_ROWS);

    const error = await refusalOf("xsbn", file);
    expect(error.key).toBe("imports.refused.no_header");
    expect(translator("zh-CN")(error.key, { expected: error.params?.expected_zh ?? "" })).toContain("没有找到表头");
  });

  it(`a sheet of more than ${IMPORT_MAX_ROWS} rows is refused at the row that crosses the limit`, async () => {
    const rows = [HEADER];
    for (let r = 2; r <= IMPORT_MAX_ROWS + 20_000; r++) rows.push(dataRow(r));
    const read = await readSpreadsheet(buildMinimalXlsx(rows.join("")));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.refusal).toEqual({ key: "imports.refused.too_many_rows", params: { max: IMPORT_MAX_ROWS } });
    // the header search, then the rows up to the one over the limit: the 20,000 after it are never read
    expect(read.read.rows).toBeLessThanOrEqual(HEADER_SEARCH_ROWS + IMPORT_MAX_ROWS + 2);
  });

  it("rows with values only far to the right of the header still count against the limit", async () => {
    const rows = [HEADER, dataRow(2)];
    for (let r = 3; r <= IMPORT_MAX_ROWS + 5_000; r++) rows.push(`<row r="${r}"><c r="CZ${r}"><v>1</v></c></row>`);
    const read = await readSpreadsheet(buildMinimalXlsx(rows.join("")));
    expect(read.ok ? null : read.refusal.key).toBe("imports.refused.too_many_rows");
    expect(read.read.rows).toBeLessThan(HEADER_SEARCH_ROWS + IMPORT_MAX_ROWS + 100);
  });

  it("a cell longer than Excel allows is refused while it is read, in the sheet or among the shared strings", async () => {
    const long = "长".repeat(MAX_CELL_CHARS + 1);
    const inSheet = await readSpreadsheet(buildMinimalXlsx(HEADER + dataRow(2, long) + dataRow(3)));
    expect(inSheet.ok ? null : inSheet.refusal).toEqual({ key: "imports.refused.cell_too_long", params: { max: MAX_CELL_CHARS } });

    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${long}</t></si></sst>`;
    const shared = await readSpreadsheet(buildMinimalXlsx(HEADER + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, sst));
    expect(shared.ok ? null : shared.refusal.key).toBe("imports.refused.cell_too_long");
    expect(shared.read.rows).toBe(0); // the shared strings are read, and refused, before any row
  });

  it("too many shared strings are refused while they are read, whatever the file says it holds", async () => {
    const many = Array.from({ length: MAX_SHARED_STRINGS + 1 }, (_, i) => `<si><t>${i}</t></si>`).join("");
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${many}</sst>`;
    const read = await readSpreadsheet(buildMinimalXlsx(HEADER + dataRow(2), sst));
    expect(read.ok ? null : read.refusal).toEqual({ key: "imports.refused.too_many_strings", params: { max: MAX_SHARED_STRINGS } });
    expect(read.read.rows).toBe(0);

    const declared = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${MAX_SHARED_STRINGS + 1}"><si><t>x</t></si></sst>`;
    const early = await readSpreadsheet(buildMinimalXlsx(HEADER + dataRow(2), declared));
    expect(early.ok ? null : early.refusal.key).toBe("imports.refused.too_many_strings");
  });

  it("a file refused while reading fails its job with the reason, never a 500", async () => {
    const error = await refusalOf("xsbn", buildMinimalXlsx(HEADER + dataRow(2, "长".repeat(MAX_CELL_CHARS + 1))));
    expect(error).toEqual({ key: "imports.refused.cell_too_long", params: { max: MAX_CELL_CHARS } });
    expect(translator("en")(error.key, error.params)).toContain("32767");
  });
});

describe("cells come out as they always did", () => {
  it("inline rich text written with line breaks between its runs, phonetic guides left out", async () => {
    const rich = `<c r="A2" t="inlineStr">\n  <is>\n    <r><t>赴老挝</t></r>\n    <r><t xml:space="preserve">琅勃拉邦 </t></r>\n    <rPh sb="0" eb="1"><t>ラオ</t></rPh>\n  </is>\n</c>`;
    const read = await readSpreadsheet(buildMinimalXlsx(`${HEADER}\n<row r="2">${rich}${inline("B2", "会议")}${inline("C2", "2025-01-01")}${inline("D2", "4.2.5")}</row>`));
    expect(read.ok && read.sheet.rows[0]!.raw[0]).toBe("赴老挝琅勃拉邦 ");
  });

  it("dates, numbers, rich text, formulas' cached values, errors, booleans and hyperlinks, on the rows Excel shows", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("封面").getCell("A1").value = "2024年台账";
    const sheet = workbook.addWorksheet("台账");
    sheet.getCell("A2").value = "西双版纳州外办 2024年对外交流台账"; // a title above the header
    sheet.getRow(4).values = ["活动名称", "活动类型", "开始日期", "主要对应条款", "人次", "资金", "佐证材料", "备注"];
    const row = sheet.getRow(6); // row 5 left empty
    row.getCell(1).value = { richText: [{ text: "赴老挝" }, { text: "琅勃拉邦", font: { bold: true } }, { text: "交流" }] };
    row.getCell(2).value = { formula: 'IF(1,"会议","")', result: "会议" } as ExcelJS.CellFormulaValue;
    row.getCell(3).value = new Date(Date.UTC(2024, 4, 8));
    row.getCell(3).numFmt = 'yyyy"年"m"月"d"日"';
    row.getCell(4).value = "4.2.5";
    row.getCell(5).value = { formula: "40+7", result: 47 } as ExcelJS.CellFormulaValue;
    row.getCell(6).value = 12.5;
    row.getCell(7).value = { text: "新闻报道", hyperlink: "https://example.org/news/7" };
    row.getCell(8).value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    const second = sheet.getRow(7);
    second.values = ["第二项", "培训", 45658, "4.2.5", true, "30万元"];
    second.getCell(3).numFmt = "yyyy-mm-dd";
    sheet.getCell("K7").value = "表头之外的列"; // beyond the header: not kept
    workbook.getWorksheet("封面")!.state = "visible";
    const read = await readSpreadsheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read.ok, JSON.stringify(read)).toBe(true);
    if (!read.ok) return;
    const { sheet: parsed } = read;
    expect(parsed.sheetName).toBe("台账");
    expect(parsed.headerRow).toBe(4);
    expect(parsed.columns.map((c) => c.header)).toEqual(["活动名称", "活动类型", "开始日期", "主要对应条款", "人次", "资金", "佐证材料", "备注"]);
    expect(parsed.rows).toEqual([
      {
        row: 6,
        raw: ["赴老挝琅勃拉邦交流", "会议", { d: "2024-05-08T00:00:00.000Z" }, "4.2.5", 47, 12.5, { t: "新闻报道", u: "https://example.org/news/7" }, { e: "#N/A" }],
      },
      { row: 7, raw: ["第二项", "培训", { d: "2025-01-01T00:00:00.000Z" }, "4.2.5", true, "30万元", null, null] },
    ]);
  });
});
