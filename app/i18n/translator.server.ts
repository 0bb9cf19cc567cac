// The server's translator: both catalogs, for pages, documents, spreadsheets and messages in either language.
import { en, enSingular } from "./en";
import { type Catalog, type Locale, type Translate, makeTranslator, providePageCatalog } from "./index";
import { zhCN } from "./zh-CN";

export const CATALOGS: Record<Locale, Catalog> = {
  "zh-CN": { locale: "zh-CN", messages: zhCN },
  en: { locale: "en", messages: en, singular: enSingular },
};

// pages rendered on the server may be in either language
for (const catalog of Object.values(CATALOGS)) providePageCatalog(catalog);

const translators: Record<Locale, Translate> = {
  "zh-CN": makeTranslator(CATALOGS["zh-CN"]),
  en: makeTranslator(CATALOGS.en, CATALOGS["zh-CN"]),
};

export function translator(locale: Locale): Translate {
  return translators[locale];
}
