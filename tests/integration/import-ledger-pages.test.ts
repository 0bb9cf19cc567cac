// A preview finds the rows already in the ledger however big the uploader's ledger is: it is read a page at a
// time (jobs.server.ts), and an activity on a later page is recognised as well as one on the first.
import { describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, seedActivity, sessionCookieFor, unitId } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook } from "../fixtures/build-fixtures";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("rows already in a big ledger", () => {
  it("are marked present when their activity comes after the first page of the ledger's read", async () => {
    // more than a page (5,000) of the unit's activities before the one the file repeats
    const template = await db.selectFrom("activities").selectAll().where("deleted_at", "is", null).executeTakeFirstOrThrow();
    const { id: _id, ...row } = template;
    const mengla = await unitId("yn-xsbn-mengla");
    for (let i = 0; i < 5_200; i += 400) {
      await db
        .insertInto("activities")
        .values(Array.from({ length: 400 }, (_, k) => ({ ...row, organization_id: mengla, title: `填充活动 ${i + k}`, import_fingerprint: null, seed_key: null })))
        .execute();
    }
    const early = await seedActivity("yn-xsbn-mengla", { title: "页前的活动" });
    const late = await seedActivity("yn-xsbn-mengla", { title: "勐腊县第二页上的节庆活动" });
    expect(late).toBeGreaterThan(early);

    const cells = (title: string) => [title, "节庆/文化活动", day("2024-04-13"), day("2024-04-15"), "已完成", "4.3.1", "", "老挝", "", "", "", "", "", "", "", "", "勐腊县", ""];
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, [cells("勐腊县第二页上的节庆活动"), cells("一个新的节庆活动")]);
    const form = new FormData();
    form.append("file", new File([new Uint8Array(file)], "台账.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    const cookie = await sessionCookieFor("xsbn");
    const response = (await importsRoute.action({ request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(302);
    await importJobsIdle(db);
    const id = Number(/upload=(\d+)/.exec(response.headers.get("Location")!)?.[1]);
    const rows = await db.selectFrom("import_rows").select(["sheet_row", "status", "messages_json"]).where("import_id", "=", id).orderBy("sheet_row").execute();
    expect(rows.map((r) => r.status)).toEqual(["present", "ready"]);
    expect(rows[0]!.messages_json).toContain("imports.warn.present");
  });
});
