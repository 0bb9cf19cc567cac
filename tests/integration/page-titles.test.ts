// The browser tab of an English page names its subject in English: a unit, a plan item, a priority area or an
// indicator has an English name, and the title uses it (the Chinese name only in Chinese). Each route's real loader
// runs for a signed-in English reader, then its meta function with what the root loader gives it.
import { describe, expect, it } from "vitest";
import * as area from "~/routes/areas.$code";
import * as drafts from "~/routes/drafts";
import * as indicator from "~/routes/indicators.$id._index";
import * as planItem from "~/routes/plan.$code";
import * as report from "~/routes/reports.$unit.$period";
import * as reportPrint from "~/routes/reports.$unit.$period_.print";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const HAN = /[\u3400-\u9fff]/;

type Route = { loader: (...args: never[]) => unknown; meta?: unknown };

async function titleOf(route: Route, path: string, params: Record<string, string>, locale: "en" | "zh-CN") {
  const cookie = `${await sessionCookieFor("reviewer")}; ${(await localeCookie.serialize(locale)).split(";")[0]}`;
  const response = await call(route.loader as never, path, { cookie, params });
  expect(response.status, path).toBe(200);
  const data = await jsonOf(response);
  const meta = route.meta as (args: { data: unknown; matches: { id: string; data: unknown }[] }) => { title?: string }[];
  const descriptors = meta({ data, matches: [{ id: "root", data: { locale } }] });
  return descriptors.find((d) => d.title)!.title!;
}

describe("page titles name the page's subject in the page's language", () => {
  it("in English: units, plan items, priority areas and indicators by their English names", async () => {
    const xsbn = String(await unitId("yn-xsbn"));
    const someIndicator = await db.selectFrom("indicators").select("id").orderBy("id").executeTakeFirstOrThrow();
    const pages: [Route, string, Record<string, string>][] = [
      [planItem, "/plan/4.2.5", { code: "4.2.5" }],
      [area, "/areas/agriculture-poverty", { code: "agriculture-poverty" }],
      [indicator, `/indicators/${someIndicator.id}`, { id: String(someIndicator.id) }],
      [report, `/reports/${xsbn}/2023-H1`, { unit: xsbn, period: "2023-H1" }],
      [reportPrint, `/reports/${xsbn}/2023-H1/print`, { unit: xsbn, period: "2023-H1" }],
      [drafts, `/drafts?unit=${xsbn}&period=2023-H1`, {}],
    ];
    for (const [route, path, params] of pages) {
      const english = await titleOf(route, path, params, "en");
      expect(english, `${path}: ${english}`).not.toMatch(HAN);
      const chinese = await titleOf(route, path, params, "zh-CN");
      expect(chinese, `${path}: ${chinese}`).toMatch(HAN);
    }
  });
});
