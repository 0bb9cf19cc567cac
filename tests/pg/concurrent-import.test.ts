// On PostgreSQL two requests really run at once (a pool of connections, several instances), where SQLite's one
// connection per process ran transactions one after the other. Importing the same spreadsheet twice at the same
// moment — a double click, or two colleagues — must still create each activity once.
import { describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, call, sessionCookieFor } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";

async function upload(bytes: Buffer): Promise<number> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], "台账.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: await sessionCookieFor("xsbn") }, body: form });
  const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  // the upload answers at once; its job reads and checks the file in a worker thread
  await importJobsIdle(db);
  const match = /^\/imports\?upload=(\d+)$/.exec(response.headers.get("Location") ?? "");
  expect(match).not.toBeNull();
  return Number(match![1]);
}

const activities = async () =>
  Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("importing at the same moment", () => {
  it("creates each row once when the same upload is imported twice at once", async () => {
    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(40, { seed: "同时导入" })));
    const before = await activities();
    const cookie = await sessionCookieFor("xsbn");
    const run = () => call(importsRoute.action, "/imports", { cookie, form: { upload_id: String(id), mode: "all" } });
    const responses = await Promise.all([run(), run(), run()]);
    expect(responses.map((r) => r.status)).toEqual([302, 302, 302]);
    expect((await activities()) - before).toBe(40);
  });

  it("creates each row once when two uploads of the same file are imported at once", async () => {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(40, { seed: "两份同一文件" }));
    const [first, second] = [await upload(file), await upload(file)];
    const before = await activities();
    const cookie = await sessionCookieFor("xsbn");
    const run = (id: number) => call(importsRoute.action, "/imports", { cookie, form: { upload_id: String(id), mode: "all" } });
    await Promise.all([run(first), run(second)]);
    expect((await activities()) - before).toBe(40);
  });
});
