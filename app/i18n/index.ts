// One way to translate: t(key, params) from the catalog of the user's locale. Runs on server and client.
import { en, enSingular } from "./en";
import { type MessageKey, zhCN } from "./zh-CN";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

const catalogs: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

export type Translate = (key: MessageKey | (string & {}), params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const own = (table: Record<string, string | undefined>) => (Object.hasOwn(table, key) ? table[key] : undefined);
    const singular = locale === "en" && params && String(params.count) === "1" ? own(enSingular) : undefined;
    const template = singular ?? own(catalog) ?? own(zhCN) ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** A name in the user's language, from a row with _zh and _en columns. */
export function localName(locale: Locale, zh: string, enName: string): string {
  return locale === "en" && enName ? enName : zh;
}
