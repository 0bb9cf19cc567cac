// One China in the country list: Taiwan, Hong Kong and Macao are parts of China and China is not its own
// counterpart, so none of them is offered, accepted, stored or shown as a counterpart country; the rest are named
// as China's Ministry of Foreign Affairs names them, one spelling each, the five Mekong countries first.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { up as countryListMigration } from "../../db/migrations/2026-12-07T1000-country-list";
import * as newActivity from "~/routes/activities.new";
import * as list from "~/routes/activities._index";
import * as dashboard from "~/routes/dashboard";
import * as template from "~/routes/imports.template[.]xlsx";
import { translator } from "~/i18n/translator.server";
import { parseCountries } from "~/domain/values";
import { COUNTRY_CODES, countryName, notCountry, orderedCountries, resolveCountry } from "~/utils/countries";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { call, idOfSeed, jsonOf, sessionCookieFor, validActivityForm } from "../helpers";

const NOT_COUNTRIES = ["CN", "TW", "HK", "MO"];
/** A name that shows China or a part of it as a country. */
const CHINA_AS_COUNTRY = /台湾|臺灣|香港|澳门|澳門|^中国|中华人民共和国|Taiwan|Hong Kong|Maca[ou]|China|Chinese Taipei/i;

describe("the counterpart country list", () => {
  for (const locale of ["zh-CN", "en"]) {
    it(`offers no China, Taiwan, Hong Kong or Macao (${locale})`, () => {
      const countries = orderedCountries(locale);
      expect(countries.length).toBeGreaterThan(190);
      for (const c of countries) {
        expect(NOT_COUNTRIES).not.toContain(c.code);
        expect(c.name, c.code).not.toMatch(CHINA_AS_COUNTRY);
      }
    });
  }

  it("names countries as China writes them, in one spelling each", () => {
    const names = (code: string) => [countryName(code, "zh-CN"), countryName(code, "en")];
    expect(names("KH")).toEqual(["柬埔寨", "Cambodia"]);
    expect(names("LA")).toEqual(["老挝", "Laos"]);
    expect(names("MM")).toEqual(["缅甸", "Myanmar"]);
    expect(names("TH")).toEqual(["泰国", "Thailand"]);
    expect(names("VN")).toEqual(["越南", "Viet Nam"]);
    expect(names("KR")).toEqual(["韩国", "Republic of Korea"]);
    expect(names("KP")).toEqual(["朝鲜", "Democratic People's Republic of Korea"]);
    expect(names("MN")).toEqual(["蒙古国", "Mongolia"]);
    expect(names("PS")).toEqual(["巴勒斯坦", "Palestine"]);
    expect(names("AE")).toEqual(["阿联酋", "United Arab Emirates"]);
    // No CLDR shorthand or alternative in brackets.
    for (const code of COUNTRY_CODES) expect(countryName(code, "en"), code).not.toMatch(/[()&]|\bSt\.|\s-\s/);
    // Every name is its country's only name: no two countries share one.
    for (const locale of ["zh-CN", "en"]) expect(new Set(COUNTRY_CODES.map((c) => countryName(c, locale))).size).toBe(COUNTRY_CODES.length);
  });

  it("puts the five Mekong countries first, then the rest by name", () => {
    expect(orderedCountries("zh-CN").slice(0, 6).map((c) => c.name)).toEqual(["柬埔寨", "老挝", "缅甸", "泰国", "越南", "阿尔巴尼亚"]);
    expect(orderedCountries("en").slice(0, 6).map((c) => c.name)).toEqual(["Cambodia", "Laos", "Myanmar", "Thailand", "Viet Nam", "Afghanistan"]);
  });

  it("reads other spellings as the one country, and China's parts as parts of China", () => {
    expect(resolveCountry("South Korea")).toBe("KR");
    expect(resolveCountry("大韩民国")).toBe("KR");
    expect(resolveCountry("Myanmar (Burma)")).toBe("MM");
    expect(resolveCountry("Lao PDR")).toBe("LA");
    expect(resolveCountry("Vietnam")).toBe("VN");
    expect(resolveCountry("ｌａ")).toBe("LA");
    for (const text of ["TW", "台湾", "中国台湾地区", "Taiwan", "HK", "中国香港特别行政区", "Hong Kong, China", "澳門", "Macau", "CN", "中国", "China"]) {
      expect(resolveCountry(text), text).toBeNull();
      expect(notCountry(text), text).not.toBeNull();
    }
    expect(notCountry("老挝")).toBeNull();
  });
});

describe("China and its parts are refused with the reason", () => {
  for (const [code, message] of [
    ["TW", "errors.country_part_of_china"],
    ["HK", "errors.country_part_of_china"],
    ["MO", "errors.country_part_of_china"],
    ["CN", "errors.country_china"],
  ] as const) {
    it(`in the activity form (${code}): 400, the reason beside the field, nothing written`, async () => {
      const cookie = await sessionCookieFor("xsbn");
      const count = async () => Number((await db.selectFrom("activity_countries").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      const before = await count();
      const response = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn", { countries: ["LA", code] }) });
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).errors.countries).toBe(message);
      expect(await count()).toBe(before);
    });
  }

  it("says why in both languages", () => {
    expect(translator("zh-CN")("errors.country_part_of_china")).toContain("台湾、香港、澳门是中国的一部分");
    expect(translator("en")("errors.country_part_of_china")).toContain("Taiwan, Hong Kong and Macao are parts of China");
    expect(translator("en")("errors.country_china")).toContain("China is not a counterpart country");
  });

  it("in a spreadsheet cell, as an error of that row, while the real countries beside it are read", () => {
    expect(parseCountries("老挝、中国台湾")).toMatchObject({ codes: ["LA"], refused: ["TW"], unknown: [] });
    expect(parseCountries("香港；澳门")).toMatchObject({ codes: [], refused: ["HK", "MO"], unknown: [] });
    expect(parseCountries("中国、泰国")).toMatchObject({ codes: ["TH"], refused: ["CN"], unknown: [] });
  });

  it("in a URL filter: the list and the dashboard answer 400 and filter nothing by it", async () => {
    const cookie = await sessionCookieFor("official");
    const listed = await call(list.loader, "/activities?country=TW", { cookie });
    expect(listed.status).toBe(400);
    const data = await jsonOf(listed);
    expect(data.invalid).toContain("country");
    expect(data.params.country).toBeUndefined();
    const dash = await call(dashboard.loader, "/dashboard?country=HK", { cookie });
    expect(dash.status).toBe(400);
  });
});

describe("nothing shows them as countries", () => {
  it("the import template's country drop-down, in both languages", async () => {
    for (const locale of ["zh-CN", "en"]) {
      const cookie = await sessionCookieFor("xsbn");
      const localeCookieValue = (await localeCookie.serialize(locale)).split(";")[0];
      const response = await call(template.loader, "/imports/template.xlsx", { cookie: `${cookie}; ${localeCookieValue}` });
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const lists = workbook.worksheets.find((s) => s.state === "hidden")!;
      const countries: string[] = [];
      lists.getColumn(3).eachCell((cell, row) => row > 1 && countries.push(String(cell.value)));
      expect(countries.length).toBeGreaterThan(190);
      expect(countries.filter((name) => CHINA_AS_COUNTRY.test(name))).toEqual([]);
    }
  });

  it("codes stored before the list are removed from activities, history and approved snapshots", async () => {
    const id = await idOfSeed((await db.selectFrom("activities").select("seed_key").where("seed_key", "is not", null).executeTakeFirstOrThrow()).seed_key!);
    await db.insertInto("activity_countries").values(NOT_COUNTRIES.map((code) => ({ activity_id: id, country_code: code }))).execute();
    const audit = await db
      .insertInto("audit_log")
      .values({
        at: new Date().toISOString(),
        user_id: null,
        action: "activity.update",
        entity_type: "activity",
        entity_id: id,
        changes_json: JSON.stringify({ countries: [["LA", "TW"], ["LA", "HK", "TH"]], title: ["a", "b"] }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const snapshot = await db.selectFrom("report_snapshots").select(["id", "snapshot_json"]).executeTakeFirstOrThrow();
    const withTaiwan = snapshot.snapshot_json.replace(/"countries":\[/, '"countries":["TW","MO",');
    expect(withTaiwan).not.toBe(snapshot.snapshot_json);
    await db.updateTable("report_snapshots").set({ snapshot_json: withTaiwan }).where("id", "=", snapshot.id).execute();

    // replayed on today's schema: the release it belongs to kept a preview's rows in one JSON column, which
    // 2026-12-11T1100-import-rows moved into import_rows and dropped
    await db.schema.alterTable("activity_imports").addColumn("rows_json", "text").execute();
    try {
      await countryListMigration(db);
    } finally {
      await db.schema.alterTable("activity_imports").dropColumn("rows_json").execute();
    }

    const codes = await db.selectFrom("activity_countries").select("country_code").distinct().execute();
    expect(codes.map((c) => c.country_code).filter((c) => NOT_COUNTRIES.includes(c))).toEqual([]);
    const entry = await db.selectFrom("audit_log").select("changes_json").where("id", "=", audit.id).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.changes_json)).toEqual({ countries: [["LA"], ["LA", "TH"]], title: ["a", "b"] });
    const after = await db.selectFrom("report_snapshots").select("snapshot_json").where("id", "=", snapshot.id).executeTakeFirstOrThrow();
    expect(after.snapshot_json).toBe(snapshot.snapshot_json);
  });
});
