// The 文字材料 as the Word file an office hands in: built through the download route for 西双版纳州 2023年上半年
// (seeded and approved), printed through LibreOffice as an office would print it, and read back from the PDF —
// A4 portrait, 16 pt body text on a 28.95 pt line (22 lines a page), a larger title, "— 1 —" page numbers on the
// outer side, every paragraph printed in full, the published 10批47人次. The English file: A4, no Chinese but the
// activities' own titles. The route answers 400/404 with a message in the user's language, never 500.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/translator.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { loadReportDocx } from "~/presenters/progress-draft.server";
import * as route from "~/routes/exports.report[.]docx";
import { loadDraftData } from "~/services/progress-draft.server";
import { DOCX_CONTENT_TYPE } from "~/services/report-docx.server";
import { db } from "~/utils/db.server";
import { sofficeAvailable } from "../print";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const printable = sofficeAvailable("the Word files");

async function download(lang: "zh" | "en"): Promise<{ response: Response; body: Buffer }> {
  const xsbn = await unitId("yn-xsbn");
  const response = await call(route.loader, `/exports/report.docx?unit=${xsbn}&period=2023-H1&lang=${lang}`, { cookie: await sessionCookieFor("official") });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

function documentXml(file: string, part = "word/document.xml"): string {
  return execFileSync("unzip", ["-p", file, part]).toString();
}

/** The text of each paragraph of a .docx (its runs joined), as Word holds it. */
function paragraphs(xml: string): string[] {
  const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return xml
    .split("</w:p>")
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1]!)).join(""))
    .filter((s) => s.trim());
}

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

function printPdf(file: string): { pdf: string; pages: number; width: number; height: number; words: Word[]; raw: string } {
  const dir = mkdtempSync(join(tmpdir(), "report-docx-"));
  execFileSync("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, file], {
    stdio: "ignore",
    timeout: 180_000,
  });
  const pdf = join(dir, file.split("/").pop()!.replace(/\.docx$/, ".pdf"));
  const info = execFileSync("pdfinfo", [pdf]).toString();
  const [, width, height] = info.match(/Page size:\s+([\d.]+) x ([\d.]+)/)!;
  const pages = Number(info.match(/Pages:\s+(\d+)/)![1]);
  const words: Word[] = [];
  const bbox = execFileSync("pdftotext", ["-bbox", pdf, "-"]).toString();
  bbox.split("<page ").slice(1).forEach((page, i) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g))
      words.push({ page: i + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
  });
  const raw = execFileSync("pdftotext", ["-raw", pdf, "-"]).toString();
  return { pdf, pages, width: Number(width), height: Number(height), words, raw };
}

// poppler's word boxes are 1.3 em tall (its ascent 0.95 + descent 0.35): a 16 pt line of text is 20.8 pt high
const BOX = 1.3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const flat = (s: string) => s.replace(/\s+/g, "");
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe("/exports/report.docx", () => {
  it("downloads the Chinese and the English file with readable names", async () => {
    const zh = await download("zh");
    expect(zh.response.status).toBe(200);
    expect(zh.response.headers.get("Content-Type")).toBe(DOCX_CONTENT_TYPE);
    const disposition = zh.response.headers.get("Content-Disposition")!;
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe("云南省西双版纳傣族自治州_2023年上半年_工作情况报告.docx");
    expect(disposition).toContain('filename="report_yn-xsbn_2023-H1_zh.docx"');
    expect(zh.body.subarray(0, 2).toString()).toBe("PK");
    const en = await download("en");
    expect(en.response.status).toBe(200);
    expect(decodeURIComponent(en.response.headers.get("Content-Disposition")!.split("filename*=UTF-8''")[1]!)).toBe(
      "Xishuangbanna Dai Autonomous Prefecture_2023 H1_work report.docx",
    );
  });

  it("answers a wrong request with 400 or 404 and a message in the user's language, never 500", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    const counterpart = (await db.selectFrom("organizations").select("id").where("kind", "=", "foreign").executeTakeFirst())?.id ?? 999_999;
    for (const [query, status, message] of [
      ["period=2023-H1", 400, "请指定单位和报告期。"],
      [`unit=${xsbn}`, 400, "请指定单位和报告期。"],
      ["unit=abc&period=2023-H1", 400, "参数无效：unit"],
      [`unit=${xsbn}&period=2023-X1`, 400, "参数无效：period"],
      [`unit=${xsbn}&period=2023-H1&lang=fr`, 400, "参数无效：lang"],
      ["unit=999999&period=2023-H1", 404, "找不到指定的单位或报告期，或该单位不报送文字材料。"],
      [`unit=${xsbn}&period=2099-H1`, 404, "找不到指定的单位或报告期，或该单位不报送文字材料。"],
      [`unit=${counterpart}&period=2023-H1`, 404, "找不到指定的单位或报告期，或该单位不报送文字材料。"],
    ] as const) {
      const response = await call(route.loader, `/exports/report.docx?${query}`, { cookie });
      expect(response.status, query).toBe(status);
      expect((await jsonOf(response)).message, query).toBe(message);
    }
    // in English for a user who reads English
    const english = await loadReportDocx(db, new URLSearchParams(`unit=${xsbn}&period=2099-H1`), translator("en"));
    expect(english).toMatchObject({ ok: false, status: 404, message: "No such unit or reporting period, or the unit does not report." });
  });

  it("answers junk in the query string without a 500", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const xsbn = await unitId("yn-xsbn");
    for (const query of [
      "unit=%00&period=%00",
      "unit[]=1&period[]=2023-H1",
      `unit=${xsbn}&unit=abc&period=2023-H1&period=x`,
      `unit=${"9".repeat(40)}&period=2023-H1`,
      `unit=${xsbn}&period=${"2".repeat(5000)}`,
      `unit=${xsbn}&period=__proto__&lang=constructor`,
      `unit=${xsbn}&period=2023-H1&lang=%F0%9F%92%A5`,
      "unit=-1&period=2023-H1",
      "unit=0x10&period=2023-H1",
      "%E0%A4%A=1",
    ]) {
      const response = await call(route.loader, `/exports/report.docx?${query}`, { cookie });
      expect([200, 400, 404], query).toContain(response.status);
      if (response.status !== 200) expect((await jsonOf(response)).message, query).toBeTruthy();
    }
  });

  it("sends a visitor without a session to sign in", async () => {
    const response = await call(route.loader, "/exports/report.docx?unit=1&period=2023-H1");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("the Chinese file is a 公文 (GB/T 9704-2012)", () => {
  it("sets the page, the fonts and the sizes of the standard in the document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-docx-xml-"));
    const file = join(dir, "zh.docx");
    writeFileSync(file, (await download("zh")).body);
    const xml = documentXml(file);
    // A4 portrait; margins top 37, bottom 35, left 28, right 26 mm; 22 lines of 28.95 pt
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(xml).toMatch(/<w:pgMar w:top="209[78]" w:right="147[34]" w:bottom="198[34]" w:left="158[67]"/);
    expect(xml).toContain('<w:docGrid w:type="lines" w:linePitch="579"/>');
    expect(xml).toMatch(/<w:spacing [^>]*w:line="579" w:lineRule="exact"/);
    // characters 0.4 pt closer: 28 to the 156 mm line
    expect(xml).toContain('<w:spacing w:val="-8"/>');
    // the title in 小标宋 22 pt (sz 44), the body in 仿宋 16 pt (sz 32), headings in 黑体 and 楷体, digits in Times New Roman
    expect(xml).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/>(?:<[^>]+>)*<w:sz w:val="44"\/>/);
    expect(xml).toMatch(/w:eastAsia="仿宋_GB2312"[^>]*\/>(?:<[^>]+>)*<w:sz w:val="32"\/>/);
    expect(xml).toMatch(/w:eastAsia="黑体"[^>]*\/>(?:<[^>]+>)*<w:sz w:val="32"\/>(?:<[^>]+>)*<w:t[^>]*>一、主要工作及成效</);
    expect(xml).toMatch(/w:eastAsia="楷体_GB2312"[^>]*\/>(?:<[^>]+>)*<w:sz w:val="32"\/>(?:<[^>]+>)*<w:t[^>]*>（一）政治安全事务</);
    expect(xml).toContain('w:ascii="Times New Roman"');
    // the editor's notes stay on the screen
    expect(xml).not.toContain("【");
    // page numbers: — 1 — in 宋体 四号 (sz 28), odd pages right and even pages left
    const footers = [documentXml(file, "word/footer1.xml"), documentXml(file, "word/footer2.xml")].join("");
    expect(footers).toContain("PAGE");
    expect(footers).toContain("— ");
    expect(footers).toContain('<w:sz w:val="28"/>');
    expect(footers).toMatch(/<w:jc w:val="right"\/>/);
    expect(footers).toMatch(/<w:jc w:val="left"\/>/);
    expect(documentXml(file, "word/settings.xml")).toContain("<w:evenAndOddHeaders/>");
    // where a 公文 face is missing, the font table names a fallback
    expect(documentXml(file, "word/fontTable.xml")).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="Noto Serif CJK SC"\/>/);
  });

  it.skipIf(!printable)("prints on A4 at 16 pt, 28 characters × 22 lines, every paragraph whole, with the published figures", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-docx-zh-"));
    const file = join(dir, "西双版纳州_2023年上半年_工作情况报告.docx");
    writeFileSync(file, (await download("zh")).body);
    const printed = printPdf(file);

    // A4 portrait, a sane number of pages for 14 activities
    expect(Math.round(printed.width)).toBe(595);
    expect(Math.round(printed.height)).toBe(842);
    expect(printed.pages).toBeGreaterThanOrEqual(2);
    expect(printed.pages).toBeLessThanOrEqual(10);

    // body text about 16 pt, the title larger (22 pt), page numbers 14 pt
    const pageNumber = (w: Word) => w.yMin > 740;
    const body = printed.words.filter((w) => !pageNumber(w));
    const bodyPt = median(body.map((w) => (w.yMax - w.yMin) / BOX));
    expect(bodyPt).toBeGreaterThan(15.5);
    expect(bodyPt).toBeLessThan(16.5);
    const titlePt = (printed.words[0]!.yMax - printed.words[0]!.yMin) / BOX;
    expect(printed.words[0]!.text).toBe("西双版纳傣族自治州");
    expect(titlePt).toBeGreaterThan(21);
    expect(titlePt).toBeLessThan(23);

    // 22 lines a page: body lines 28.95 pt apart (225 mm / 22)
    const lineTops = [...new Set(body.filter((w) => w.page === 1).map((w) => Math.round(w.yMin * 10) / 10))].sort((a, b) => a - b);
    const gaps = lineTops.slice(1).map((y, i) => y - lineTops[i]!).filter((g) => g > 20 && g < 35);
    expect(median(gaps)).toBeGreaterThan(28.5);
    expect(median(gaps)).toBeLessThan(29.5);
    // 28 characters a line (a digit is half of one; two full-width stops side by side, "）。", are set closer
    // together, as Word and WPS set them, so such a line holds one more)
    const widths = printed.raw
      .split("\n")
      .map((l) => [...flat(l)].reduce((n, c) => n + (CJK.test(c) ? 1 : 0.5), 0) - (flat(l).match(/[）》”][，。、；：）]/g)?.length ?? 0));
    expect(Math.max(...widths)).toBeLessThanOrEqual(28.5);
    expect(widths.filter((n) => n >= 27).length).toBeGreaterThan(10);

    // — 1 — at the foot of page 1, on the right; — 2 — on page 2, on the left (the outer side)
    const foot = (page: number) => printed.words.filter((w) => w.page === page && pageNumber(w));
    expect(foot(1).map((w) => w.text).join(" ")).toBe("— 1 —");
    expect(Math.min(...foot(1).map((w) => w.xMin))).toBeGreaterThan(400);
    expect(foot(2).map((w) => w.text).join(" ")).toBe("— 2 —");
    expect(Math.max(...foot(2).map((w) => w.xMax))).toBeLessThan(200);

    // every paragraph printed in full (the page numbers read between pages are not part of the text)
    const text = flat(printed.raw).replace(/—\d+—/g, "");
    const missing = paragraphs(documentXml(file)).filter((p) => !text.includes(flat(p)));
    expect(missing).toEqual([]);
    // the published figures, and the unit and date at the end
    expect(text).toContain("10批47人次");
    expect(text).not.toMatch(/1[12]批/);
    expect(text).toContain("30万元");
    expect(text).toMatch(/西双版纳傣族自治州2023年7月19日$/);
  });
});

describe("the English file", () => {
  it("is an ordinary A4 report without 公文 fonts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-docx-en-xml-"));
    const file = join(dir, "en.docx");
    writeFileSync(file, (await download("en")).body);
    const xml = documentXml(file);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(xml).not.toMatch(/仿宋|小标宋|楷体|黑体/);
    expect(xml).toContain('w:ascii="Times New Roman"');
  });

  it.skipIf(!printable)("prints on A4 with no Chinese but the activities' own titles and names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-docx-en-"));
    const file = join(dir, "en.docx");
    writeFileSync(file, (await download("en")).body);
    const printed = printPdf(file);
    expect(Math.round(printed.width)).toBe(595);
    expect(Math.round(printed.height)).toBe(842);
    const text = flat(printed.raw);
    const missing = paragraphs(documentXml(file)).filter((p) => !text.includes(flat(p)));
    expect(missing).toEqual([]);
    expect(text).toContain(flat("10 delegations abroad (47 person-trips)"));

    // what is left after taking out the activities' titles (as logged, in Chinese) is English
    const unit = await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
    const data = await loadDraftData(db, unit, (await getPeriodByCode(db, "2023-H1"))!);
    const titles = [...data.activities, ...data.carried, ...data.planned].map((a) => flat(a.title)).sort((a, b) => b.length - a.length);
    let rest = text;
    for (const title of titles) rest = rest.split(title).join("");
    expect(rest.match(new RegExp(CJK.source, "g")) ?? []).toEqual([]);
    // types, countries, units and plan items by their English names
    expect(text).toContain(flat("Xishuangbanna Dai Autonomous Prefecture"));
    expect(text).toContain(flat("4.2.6 Poverty Reduction"));
    expect(text).toContain(flat("Luang Prabang Province, Laos"));
  });
});

it("has LibreOffice where CI runs", () => {
  if (process.env.CI === "true") expect(printable).toBe(true);
  expect(existsSync(tmpdir())).toBe(true);
});
