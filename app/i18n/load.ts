// A browser loads only its page's catalog: each is its own chunk, imported when first needed (before hydration
// for the page's language; after a change of language without a page load, when the root data says so).
import { type Catalog, type Locale, hasPageCatalog, providePageCatalog } from "./index";

const importers: Record<Locale, () => Promise<Catalog>> = {
  "zh-CN": () => import("./zh-CN").then((m): Catalog => ({ locale: "zh-CN", messages: m.zhCN })),
  en: () => import("./en").then((m): Catalog => ({ locale: "en", messages: m.en, singular: m.enSingular })),
};

export async function loadPageCatalog(locale: Locale): Promise<void> {
  if (hasPageCatalog(locale)) return;
  providePageCatalog(await importers[locale]());
}
