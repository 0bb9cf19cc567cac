// Evidence files (佐证材料), as the issue asks: uploads on an activity and on a period report, their type read from
// the content (a program named .pdf, a plain zip named .docx are refused; a real docx, xlsx, PNG are taken), the
// 20 MB limit (streamed, and declared), refused for a frozen period and for another unit, downloads as attachments
// with the stored type, nosniff and the Chinese name (RFC 5987), images inline only when asked, the recycle bin
// round trip, the approval snapshot keeping the files, and the 工作台账 linking them by the request's origin.
// The same file runs on PostgreSQL (tests/pg/with-postgres.sh npx vitest run --config vitest.pg.config.ts …).
//
// authz-covers: files._index.tsx
// authz-covers: files.$id.tsx
import ExcelJS from "exceljs";
import { Document, Packer, Paragraph } from "docx";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { EVIDENCE_MAX_BYTES, sniffEvidenceType } from "~/domain/evidence-files";
import { translator } from "~/i18n/translator.server";
import { getUserById } from "~/models/user.server";
import { getOrganization } from "~/models/organization.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import * as filesPage from "~/routes/files._index";
import * as download from "~/routes/files.$id";
import * as activityPage from "~/routes/activities.$id._index";
import * as trashPage from "~/routes/trash";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import { approveReport, readReportSnapshot } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";
import { BASE, call, jsonOf, seedActivity, sessionCookieFor, unitId } from "../helpers";

const zh = translator("zh-CN");

/** A small but real PDF. */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/** POSTs a multipart upload of one file to `path` as `username`, the way a browser form does. */
async function upload(path: string, username: string, name: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name));
  const request = new Request(new URL(path, BASE), { method: "POST", headers: { Cookie: await sessionCookieFor(username), ...headers }, body: form });
  try {
    return (await filesPage.action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function filesOf(activityId: number) {
  return db.selectFrom("evidence_files").select(["id", "name", "content_type", "size_bytes", "deleted_at"]).where("activity_id", "=", activityId).orderBy("id").execute();
}

/** The message a refused upload shows beside its form, in Chinese. */
async function refusalText(response: Response): Promise<string> {
  const data = await jsonOf<{ error: { key: string; params?: Record<string, string | number> } }>(response);
  return zh(data.error.key, data.error.params);
}

async function frozenActivityOfXsbn(): Promise<number> {
  // 西双版纳州's 2023年上半年 report is seeded as approved: its activities are frozen
  const row = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select("a.id")
    .where("o.code", "=", "yn-xsbn")
    .where("a.start_date", ">=", "2023-01-01")
    .where("a.start_date", "<=", "2023-06-30")
    .where("a.deleted_at", "is", null)
    .orderBy("a.id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("evidence file types, from the content", () => {
  it("takes PDF, images and office documents by their bytes, whatever their name", async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("签署备忘录")] }] }));
    const book = new ExcelJS.Workbook();
    book.addWorksheet("台账").addRow(["活动", "日期"]);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    expect(sniffEvidenceType(PDF, "扫描件")?.contentType).toBe("application/pdf");
    expect(sniffEvidenceType(PNG, "photo.pdf")?.contentType).toBe("image/png");
    expect(sniffEvidenceType(docx, "备忘录.docx")?.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(sniffEvidenceType(xlsx, "台账.xlsx")?.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    // a zip that is no Office document, named as one; a program and a web page named as a PDF or a picture
    const zip = new JSZip();
    zip.file("word/readme.txt", "not a document");
    expect(sniffEvidenceType(Buffer.from(await zip.generateAsync({ type: "uint8array" })), "备忘录.docx")).toBeNull();
    expect(sniffEvidenceType(Buffer.from("MZ\x90\x00\x03\x00\x00\x00program"), "扫描件.pdf")).toBeNull();
    expect(sniffEvidenceType(Buffer.from("<html><script>alert(1)</script></html>"), "照片.png")).toBeNull();
  });
});

describe("uploading evidence files", () => {
  it("stores a PDF on the reporter's own activity, shows it on the page, and writes the audit log", async () => {
    const activity = await seedActivity("yn-xsbn", { title: "佐证材料上传测试" });
    const response = await upload(`/files?activity=${activity}`, "xsbn", "签署的备忘录.pdf", PDF);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/activities/${activity}?notice=file_added#evidence`);
    const [file] = await filesOf(activity);
    expect(file).toMatchObject({ name: "签署的备忘录.pdf", content_type: "application/pdf", size_bytes: PDF.length, deleted_at: null });
    const audit = await db.selectFrom("audit_log").select(["action", "changes_json"]).where("entity_type", "=", "evidence_file").where("entity_id", "=", file!.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["evidence.upload"]);
    const page = await jsonOf(await call(activityPage.loader, `/activities/${activity}`, { cookie: await sessionCookieFor("official"), params: { id: String(activity) } }));
    expect(page.files.map((f: { name: string }) => f.name)).toEqual(["签署的备忘录.pdf"]);
  });

  it("refuses a file whose content is not of a kind taken, even named .pdf: 415 with the reason", async () => {
    const activity = await seedActivity("yn-xsbn");
    const response = await upload(`/files?activity=${activity}`, "xsbn", "扫描件.pdf", Buffer.from("MZ\x90\x00\x03\x00\x00\x00this is a program"));
    expect(response.status).toBe(415);
    expect(await refusalText(response)).toContain("不支持该文件类型");
    expect(await filesOf(activity)).toEqual([]);
  });

  it("refuses a file over 20 MB while reading it (413), and one declared larger before reading it", async () => {
    const activity = await seedActivity("yn-xsbn");
    const big = Buffer.alloc(EVIDENCE_MAX_BYTES + 1, 0x20);
    PDF.copy(big);
    const response = await upload(`/files?activity=${activity}`, "xsbn", "很大的扫描件.pdf", big);
    expect(response.status).toBe(413);
    expect(await refusalText(response)).toBe("文件超过 20 MB 上限，未保存。");
    const declared = await upload(`/files?activity=${activity}`, "xsbn", "扫描件.pdf", PDF, { "Content-Length": String(EVIDENCE_MAX_BYTES + 100 * 1024) });
    expect(declared.status).toBe(413);
    // exactly 20 MB is taken
    const limit = Buffer.alloc(EVIDENCE_MAX_BYTES, 0x20);
    PDF.copy(limit);
    expect((await upload(`/files?activity=${activity}`, "xsbn", "正好20MB.pdf", limit)).status).toBe(302);
    expect((await filesOf(activity)).map((f) => f.size_bytes)).toEqual([EVIDENCE_MAX_BYTES]);
  });

  it("refuses files for an activity of an approved period: 403, and nothing can be removed there either", async () => {
    const activity = await frozenActivityOfXsbn();
    const response = await upload(`/files?activity=${activity}`, "xsbn", "补充照片.png", PNG);
    expect(response.status).toBe(403);
    expect(await refusalText(response)).toContain("2023-H1 报告已审核通过");
    expect(await filesOf(activity)).toEqual([]);
  });

  it("refuses files for another unit's activity, and for roles that do not report: 403", async () => {
    const kunming = await seedActivity("yn-km");
    for (const username of ["xsbn", "official", "reviewer", "xsbn_leader"]) {
      const response = await upload(`/files?activity=${kunming}`, username, "照片.png", PNG);
      expect(response.status, username).toBe(403);
    }
    expect(await filesOf(kunming)).toEqual([]);
    // a made-up activity is not found
    expect((await upload("/files?activity=99999999", "xsbn", "照片.png", PNG)).status).toBe(404);
  });

  it("takes files on the unit's own period report, and refuses them on an approved or closed one, or another unit's", async () => {
    const xsbn = await unitId("yn-xsbn");
    const km = await unitId("yn-km");
    expect((await upload(`/files?unit=${xsbn}&period=2026-H2`, "xsbn", "总结材料.pdf", PDF)).status).toBe(302);
    expect((await upload(`/files?unit=${km}&period=2026-H2`, "xsbn", "总结材料.pdf", PDF)).status).toBe(403);
    const frozen = await upload(`/files?unit=${xsbn}&period=2023-H1`, "xsbn", "总结材料.pdf", PDF);
    expect(frozen.status).toBe(403);
    // a closed period takes no more files either
    await db.updateTable("reporting_periods").set({ closed_at: new Date().toISOString() }).where("code", "=", "2025-H2").execute();
    const closed = await upload(`/files?unit=${xsbn}&period=2025-H2`, "xsbn", "总结材料.pdf", PDF);
    expect(closed.status).toBe(403);
    expect(await refusalText(closed)).toBe("该报告期已关闭，不能再增删佐证材料。");
    const period = await getPeriodByCode(db, "2026-H2");
    const rows = await db.selectFrom("evidence_files").select(["name", "organization_id"]).where("period_id", "=", period!.id).execute();
    expect(rows).toEqual([{ name: "总结材料.pdf", organization_id: xsbn }]);
  });
});

describe("downloading evidence files", () => {
  it("sends the stored bytes as an attachment with the stored type, nosniff and the Chinese name", async () => {
    const activity = await seedActivity("yn-xsbn");
    await upload(`/files?activity=${activity}`, "xsbn", "老挝南塔省 备忘录.pdf", PDF);
    await upload(`/files?activity=${activity}`, "xsbn", "合影.png", PNG);
    const [pdf, png] = await filesOf(activity);
    // everyone signed in reads evidence, as they read the activity
    const response = await call(download.loader, `/files/${pdf!.id}`, { cookie: await sessionCookieFor("official"), params: { id: String(pdf!.id) } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const disposition = response.headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe("老挝南塔省 备忘录.pdf");
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    // a thumbnail: an image inline when asked; anything else stays an attachment
    const thumb = await call(download.loader, `/files/${png!.id}?inline=1`, { cookie: await sessionCookieFor("xsbn"), params: { id: String(png!.id) } });
    expect(thumb.headers.get("Content-Type")).toBe("image/png");
    expect(thumb.headers.get("Content-Disposition")).toMatch(/^inline; /);
    const notImage = await call(download.loader, `/files/${pdf!.id}?inline=1`, { cookie: await sessionCookieFor("xsbn"), params: { id: String(pdf!.id) } });
    expect(notImage.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    // signed out: sent to sign in; a made-up file: not found
    const anonymous = await call(download.loader, `/files/${pdf!.id}`, { params: { id: String(pdf!.id) } });
    expect(anonymous.status).toBe(302);
    expect((await call(download.loader, "/files/99999999", { cookie: await sessionCookieFor("xsbn"), params: { id: "99999999" } })).status).toBe(404);
  });
});

describe("removing evidence files goes through the recycle bin", () => {
  it("deletes to the recycle bin and restores from there; another unit's reporter may do neither", async () => {
    const activity = await seedActivity("yn-xsbn", { title: "回收站往返测试" });
    await upload(`/files?activity=${activity}`, "xsbn", "会谈纪要.pdf", PDF);
    const [file] = await filesOf(activity);
    const id = String(file!.id);

    const refused = await call(filesPage.action, `/files?file=${id}`, { cookie: await sessionCookieFor("kunming"), form: { intent: "delete" } });
    expect(refused.status).toBe(403);

    const deleted = await call(filesPage.action, `/files?file=${id}`, { cookie: await sessionCookieFor("xsbn"), form: { intent: "delete" } });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("Location")).toBe(`/activities/${activity}?notice=file_deleted#evidence`);
    const page = await jsonOf(await call(activityPage.loader, `/activities/${activity}`, { cookie: await sessionCookieFor("xsbn"), params: { id: String(activity) } }));
    expect(page.files).toEqual([]);
    const trash = await jsonOf(await call(trashPage.loader, "/trash", { cookie: await sessionCookieFor("xsbn") }));
    const inBin = trash.files.find((f: { id: number }) => f.id === file!.id);
    expect(inBin).toMatchObject({ name: "会谈纪要.pdf", activity_title: "回收站往返测试", restorable: true });
    // the file is still there to download, like a deleted activity is still there to read
    expect((await call(download.loader, `/files/${id}`, { cookie: await sessionCookieFor("xsbn"), params: { id } })).status).toBe(200);

    const restored = await call(filesPage.action, `/files?file=${id}`, { cookie: await sessionCookieFor("xsbn"), form: { intent: "restore" } });
    expect(restored.status).toBe(302);
    expect(restored.headers.get("Location")).toBe("/trash?notice=file_restored");
    expect((await filesOf(activity)).map((f) => f.deleted_at)).toEqual([null]);
    const audit = await db.selectFrom("audit_log").select("action").where("entity_type", "=", "evidence_file").where("entity_id", "=", file!.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["evidence.upload", "evidence.delete", "evidence.restore"]);
  });
});

describe("approval freezes the files, and the 工作台账 links them", () => {
  it("keeps the files in the snapshot, refuses adding or removing them, and links them from 佐证材料", async () => {
    const activity = await seedActivity("yn-km", { title: "昆明市冻结佐证测试" });
    await db.insertInto("activity_evidence").values({ activity_id: activity, url: "https://example.org/news/km", label: "新闻报道", sort_order: 0 }).execute();
    expect((await upload(`/files?activity=${activity}`, "kunming", "合作协议扫描件.pdf", PDF)).status).toBe(302);
    const [file] = await filesOf(activity);
    const unit = (await getOrganization(db, await unitId("yn-km")))!;
    const period = (await getPeriodByCode(db, "2024-H1"))!;
    expect((await upload(`/files?unit=${unit.id}&period=2024-H1`, "kunming", "半年总结.pdf", PDF)).status).toBe(302);

    // the ledger of the period, before approval: links first, then the file, as an address on the request's site
    const ledgerCell = async () => {
      const response = await call(ledgerRoute.loader, `/exports/ledger.xlsx?unit=${unit.id}&period=2024-H1`, { cookie: await sessionCookieFor("official") });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await response.arrayBuffer());
      const sheet = book.worksheets[0]!;
      let found: ExcelJS.CellValue = null;
      sheet.eachRow((row) => {
        if (row.getCell(4).value === "昆明市冻结佐证测试") found = row.getCell(13).value;
      });
      return found as unknown as { text: string; hyperlink: string } | null;
    };
    expect(await ledgerCell()).toEqual({ text: "新闻报道\n合作协议扫描件.pdf", hyperlink: "https://example.org/news/km" });
    await db.deleteFrom("activity_evidence").where("activity_id", "=", activity).execute();
    expect(await ledgerCell()).toEqual({ text: "合作协议扫描件.pdf", hyperlink: `${BASE}/files/${file!.id}` });

    // approve the unit's report for the period
    const now = new Date().toISOString();
    await db
      .insertInto("period_reports")
      .values({ organization_id: unit.id, period_id: period.id, status: "submitted", version: 1, submitted_at: now, first_submitted_at: now, created_at: now, updated_at: now })
      .execute();
    const reviewer = await db.selectFrom("users").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow();
    const approved = await approveReport(db, (await getUserById(db, reviewer.id))!, unit, period);
    expect(approved.ok).toBe(true);
    const snapshot = (await readReportSnapshot(db, (approved as { reportId: number }).reportId))!;
    const frozen = snapshot.activities.find((a) => a.id === activity)!;
    expect(frozen.files).toEqual([{ id: file!.id, name: "合作协议扫描件.pdf", content_type: "application/pdf", size_bytes: PDF.length }]);
    expect(snapshot.files.map((f) => f.name)).toEqual(["半年总结.pdf"]);

    // frozen: no file added or removed, on the activity or on the report
    expect((await upload(`/files?activity=${activity}`, "kunming", "补充.pdf", PDF)).status).toBe(403);
    expect((await upload(`/files?unit=${unit.id}&period=2024-H1`, "kunming", "补充.pdf", PDF)).status).toBe(403);
    const remove = await call(filesPage.action, `/files?file=${file!.id}`, { cookie: await sessionCookieFor("kunming"), form: { intent: "delete" } });
    expect(remove.status).toBe(403);
    expect((await filesOf(activity)).map((f) => [f.name, f.deleted_at])).toEqual([["合作协议扫描件.pdf", null]]);

    // the approved ledger comes from the snapshot: even a file removed underneath it stays linked
    await db.updateTable("evidence_files").set({ deleted_at: now }).where("id", "=", file!.id).execute();
    expect(await ledgerCell()).toEqual({ text: "合作协议扫描件.pdf", hyperlink: `${BASE}/files/${file!.id}` });
  });
});
