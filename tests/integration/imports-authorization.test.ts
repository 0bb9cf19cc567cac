// Who may import: reporters, for their own unit and the units below it. Every action of the import page × every
// role, the downloads × every role, and crafted requests for someone else's upload; refused ones change nothing.
//
// authz-covers: imports._index.tsx
import { beforeAll, describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import * as templateRoute from "~/routes/imports.template[.]xlsx";
import * as failedRoute from "~/routes/imports.$id.failed[.]xlsx";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, call, sessionCookieFor } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";

const ACTORS = ["xsbn", "kunming", "xsbn_leader", "kunming_leader", "reviewer", "official", "admin"] as const;
const REPORTERS = new Set<string>(["xsbn", "kunming"]);
const UNIT_OF: Record<string, string> = { xsbn: "西双版纳傣族自治州", kunming: "昆明市" };

let seq = 0;
/** A small valid ledger for the actor's unit (or 西双版纳州's for anyone else), with titles never used before. */
async function ledgerFor(username: string): Promise<Buffer> {
  seq++;
  const rows = generatedRows(3, { unit: UNIT_OF[username] ?? UNIT_OF.xsbn, seed: `权限${username}${seq}` });
  // One row with an error, so there is a failed-rows workbook to ask for.
  rows.push(["有错误的行", "会议", "不是日期", null, null, "4.2.5"]);
  return buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows);
}

async function postFile(bytes: Buffer, options: { cookie?: string; origin?: string } = {}): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], "台账.xlsx"));
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  if (options.origin) headers.set("Origin", options.origin);
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers, body: form });
  try {
    return (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  } finally {
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
  }
}

/** An upload previewed by a reporter, ready to import. */
async function uploadAs(username: string): Promise<number> {
  const response = await postFile(await ledgerFor(username), { cookie: await sessionCookieFor(username) });
  expect(response.status).toBe(302);
  return Number(new URL(response.headers.get("Location")!, BASE).searchParams.get("upload"));
}

async function state() {
  const activities = await db.selectFrom("activities").select(["id", "title", "version"]).orderBy("id").execute();
  const uploads = await db.selectFrom("activity_imports").select(["id", "status", "result_json"]).orderBy("id").execute();
  const audit = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { activities, uploads, audit };
}

describe("authorization of imports", () => {
  let xsbnUpload: number;
  beforeAll(async () => {
    xsbnUpload = await uploadAs("xsbn");
  });

  for (const actor of ACTORS) {
    const allowed = REPORTERS.has(actor);

    it(`imports._index.tsx upload: ${actor} → ${allowed ? "previewed" : "403, nothing stored"}`, async () => {
      const before = await state();
      const response = await postFile(await ledgerFor(actor), { cookie: await sessionCookieFor(actor) });
      if (allowed) {
        expect(response.status, await response.clone().text()).toBe(302);
        expect((await state()).uploads.length).toBe(before.uploads.length + 1);
        expect((await state()).activities).toEqual(before.activities);
      } else {
        expect(response.status).toBe(403);
        expect(await state()).toEqual(before);
      }
    });

    it(`imports._index.tsx import of ${allowed ? "their own" : "a reporter's"} upload: ${actor} → ${allowed ? "imported" : "403, nothing changed"}`, async () => {
      const id = allowed ? await uploadAs(actor) : xsbnUpload;
      const before = await state();
      const response = await call(importsRoute.action, "/imports", {
        cookie: await sessionCookieFor(actor),
        form: { upload_id: String(id), mode: "valid" },
      });
      if (allowed) {
        expect(response.status, await response.clone().text()).toBe(302);
        expect((await state()).activities.length).toBe(before.activities.length + 3);
      } else {
        expect(response.status).toBe(403);
        expect(await state()).toEqual(before);
      }
    });

    it(`the import page and the template: ${actor} → ${allowed ? "200" : "403"}`, async () => {
      const cookie = await sessionCookieFor(actor);
      expect((await call(importsRoute.loader, "/imports", { cookie })).status).toBe(allowed ? 200 : 403);
      expect((await call(templateRoute.loader, "/imports/template.xlsx", { cookie })).status).toBe(allowed ? 200 : 403);
    });

    it(`xsbn's preview and failed rows: ${actor} → ${actor === "xsbn" ? "200" : allowed ? "404" : "403"}`, async () => {
      const cookie = await sessionCookieFor(actor);
      const expected = actor === "xsbn" ? 200 : allowed ? 404 : 403;
      const page = await call(importsRoute.loader, `/imports?upload=${xsbnUpload}`, { cookie });
      expect(page.status).toBe(expected);
      if (expected === 404) expect(await page.json()).toMatchObject({ preview: null, job: null, missing: true });
      const failed = await call(failedRoute.loader, `/imports/${xsbnUpload}/failed.xlsx`, { cookie, params: { id: String(xsbnUpload) } });
      expect(failed.status).toBe(expected);
    });
  }

  it("a crafted import of another reporter's upload → 404, nothing changed", async () => {
    const before = await state();
    const response = await call(importsRoute.action, "/imports", {
      cookie: await sessionCookieFor("kunming"),
      form: { upload_id: String(xsbnUpload), mode: "all" },
    });
    expect(response.status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it("an import of an upload id that never existed, or is not a number → 404", async () => {
    const cookie = await sessionCookieFor("xsbn");
    for (const id of ["999999", "abc", "-1", ""]) {
      const response = await call(importsRoute.action, "/imports", { cookie, form: { upload_id: id, mode: "valid" } });
      expect(response.status, id).toBe(404);
    }
    expect((await call(failedRoute.loader, "/imports/abc/failed.xlsx", { cookie, params: { id: "abc" } })).status).toBe(404);
  });

  it("a reporter's file naming another prefecture's unit: the rows are refused, not imported", async () => {
    const cookie = await sessionCookieFor("kunming");
    const rows = generatedRows(2, { unit: "西双版纳傣族自治州", seed: "越权" });
    const response = await postFile(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows), { cookie });
    const id = Number(new URL(response.headers.get("Location")!, BASE).searchParams.get("upload"));
    const preview = await (await call(importsRoute.loader, `/imports?upload=${id}`, { cookie })).json();
    expect(preview.preview.counts).toMatchObject({ total: 2, error: 2, ready: 0 });
    expect(preview.preview.rows[0].errors).toEqual([{ field: "organization", column: "填报单位", key: "errors.unit_forbidden" }]);
    const before = await state();
    expect((await call(importsRoute.action, "/imports", { cookie, form: { upload_id: String(id), mode: "valid" } })).status).toBe(302);
    expect((await state()).activities).toEqual(before.activities);
  });

  it("a cross-site post with a valid session → 403, nothing changed", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const before = await state();
    expect((await postFile(await ledgerFor("xsbn"), { cookie, origin: "https://evil.example" })).status).toBe(403);
    const response = await call(importsRoute.action, "/imports", {
      cookie,
      origin: "https://evil.example",
      form: { upload_id: String(xsbnUpload), mode: "valid" },
    });
    expect(response.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("without a session → sent to sign in, nothing changed", async () => {
    const before = await state();
    const upload = await postFile(await ledgerFor("xsbn"));
    expect(upload.status).toBe(302);
    expect(upload.headers.get("Location")).toMatch(/^\/login/);
    const response = await call(importsRoute.action, "/imports", { form: { upload_id: String(xsbnUpload), mode: "valid" } });
    expect(response.headers.get("Location")).toMatch(/^\/login/);
    for (const [loader, path] of [
      [importsRoute.loader, "/imports"],
      [templateRoute.loader, "/imports/template.xlsx"],
    ] as const) {
      const page = await call(loader, path);
      expect(page.status).toBe(302);
      expect(page.headers.get("Location")).toMatch(/^\/login/);
    }
    expect(await state()).toEqual(before);
  });
});
