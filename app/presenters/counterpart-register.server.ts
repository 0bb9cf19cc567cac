// Shapes the counterpart register page: the URL's filters (a name or spelling, a country, a level, an order), one
// page of bodies with how many activities name each and the day of the last contact, and the filters' choices.
import { COUNTERPART_LEVELS, bodyName, counterpartKey, keysOfName, splitCountry } from "~/domain/counterparts";
import type { Locale } from "~/i18n";
import { listCounterpartsWithCounts, loadRegisterEntries } from "~/models/counterpart.server";
import { parseRegisterFilter } from "~/schemas/counterpart";
import { MEKONG_COUNTRIES, countryName, countryRefusal } from "~/utils/countries";
import type { DB } from "~/utils/db.server";

export const REGISTER_PAGE_SIZE = 100;

export async function loadRegisterPage(db: DB, searchParams: URLSearchParams, locale: Locale) {
  const { filter, invalid } = parseRegisterFilter(searchParams);
  // a country filter naming China or a part of it says why it was ignored
  const countryInvalid = invalid.includes("country") ? countryRefusal(searchParams.get("country")) : false;
  const [rows, entries] = await Promise.all([listCounterpartsWithCounts(db), loadRegisterEntries(db)]);
  const spellings = new Map(entries.map((e) => [e.id, e]));

  // a name or spelling, as written or without its country ("老挝占巴色省" finds 占巴塞省)
  const queryKeys = filter.q ? [counterpartKey(filter.q), counterpartKey(splitCountry(filter.q).rest)].filter(Boolean) : [];
  const matches = (id: number) => {
    if (!queryKeys.length) return true;
    const e = spellings.get(id);
    if (!e) return false;
    const keys = [e.name_zh, e.name_en, e.name_local, ...e.aliases].filter(Boolean).flatMap((n) => keysOfName(n, e.country_code));
    return queryKeys.some((q) => keys.some((k) => k.includes(q)));
  };
  const found = rows.filter(
    (r) => (!filter.country || r.country_code === filter.country) && (!filter.level || r.level === filter.level) && matches(r.id),
  );

  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  const countryRank = (code: string) => {
    const mekong = (MEKONG_COUNTRIES as readonly string[]).indexOf(code);
    return mekong >= 0 ? mekong : MEKONG_COUNTRIES.length;
  };
  const byName = (a: (typeof rows)[number], b: (typeof rows)[number]) => collator.compare(bodyName(a, locale), bodyName(b, locale));
  const byCountry = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    countryRank(a.country_code) - countryRank(b.country_code) ||
    collator.compare(countryName(a.country_code, locale), countryName(b.country_code, locale)) ||
    COUNTERPART_LEVELS.indexOf(a.level as never) - COUNTERPART_LEVELS.indexOf(b.level as never) ||
    byName(a, b);
  const sort = filter.sort ?? "country";
  found.sort((a, b) => {
    if (sort === "name") return byName(a, b);
    if (sort === "activities") return b.activity_count - a.activity_count || byCountry(a, b);
    if (sort === "recent") return (b.last_contact ?? "").localeCompare(a.last_contact ?? "") || byCountry(a, b);
    return byCountry(a, b);
  });

  const pages = Math.max(1, Math.ceil(found.length / REGISTER_PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pages);
  const countries = [...new Set(rows.map((r) => r.country_code))]
    .map((code) => ({ code, name: countryName(code, locale) }))
    .sort((a, b) => countryRank(a.code) - countryRank(b.code) || collator.compare(a.name, b.name));

  return {
    filter: { ...filter, page },
    invalid,
    countryInvalid,
    total: found.length,
    page,
    pageSize: REGISTER_PAGE_SIZE,
    rows: found.slice((page - 1) * REGISTER_PAGE_SIZE, page * REGISTER_PAGE_SIZE).map((r) => ({
      id: r.id,
      name: bodyName(r, locale),
      // beside the name: its English name on the Chinese page, its own language's name on the English one
      otherName: locale === "en" ? r.name_local : r.name_en,
      country: countryName(r.country_code, locale),
      level: r.level,
      activityCount: r.activity_count,
      lastContact: r.last_contact,
    })),
    countries,
  };
}
