// The activity list's total, whichever page is asked for: counted when the page is full or past the end, taken
// from the page when it is the last one — the same number either way.
import { describe, expect, it } from "vitest";
import { listActivities } from "~/models/activity.server";
import { db } from "~/utils/db.server";

async function counted(filter: Parameters<typeof listActivities>[1]) {
  // every page at once: the total is the number of rows there are
  return (await listActivities(db, filter, { pageSize: 10_000 })).rows.length;
}

describe("the activity list's total", () => {
  it("is the number of matching activities on every page, the last one and one past the end included", async () => {
    for (const filter of [{}, { status: "completed" }, { q: "老挝" }, { country: "LA" }]) {
      const total = await counted(filter);
      expect(total).toBeGreaterThan(3);
      const pageSize = 3;
      const pages = Math.ceil(total / pageSize);
      for (const page of [1, 2, pages, pages + 1]) {
        const list = await listActivities(db, filter, { page, pageSize });
        expect(list.total, `${JSON.stringify(filter)} page ${page}`).toBe(total);
        expect(list.rows.length).toBe(page > pages ? 0 : page < pages ? pageSize : total - (pages - 1) * pageSize);
      }
      expect((await listActivities(db, filter, { pageSize: total + 5 })).total).toBe(total);
    }
  });
});
