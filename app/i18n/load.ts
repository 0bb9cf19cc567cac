// A browser loads only its page's catalog: each is its own chunk, imported when first needed (before hydration
// for the page's language; after a change of language without a page load, when the root data says so).
import { type Catalog, type Locale, hasPageCatalog, providePageCatalog } from "./index";

const importers: Record<Locale, () => Promise<Catalog>> = {
  "zh-CN": () => import("./zh-CN").then((m): Catalog => ({ locale: "zh-CN", messages: m.zhCN })),
  en: () => import("./en").then((m): Catalog => ({ locale: "en", messages: m.en, singular: m.enSingular })),
};

const loading = new Map<Locale, Promise<void>>();

/** Loads a language's catalog once, however many components ask for it at the same moment. */
export function loadPageCatalog(locale: Locale): Promise<void> {
  if (hasPageCatalog(locale)) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    pending = importers[locale]()
      .then(providePageCatalog)
      .finally(() => loading.delete(locale));
    loading.set(locale, pending);
  }
  return pending;
}
