// One way to translate: t(key, params) from the catalog of the user's locale. Runs on server and client, and holds
// no catalog itself: the server loads both (translator.server.ts), a browser only the page's language (load.ts),
// so that a page does not carry the other language's ~30 KB of messages.
import type { MessageKey } from "./zh-CN";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

export type Translate = (key: MessageKey | (string & {}), params?: Record<string, string | number>) => string;

/** One language's messages, with the English singular forms used when {count} is 1 (Chinese needs none). */
export type Catalog = {
  locale: Locale;
  messages: Readonly<Record<MessageKey, string>>;
  singular?: Readonly<Partial<Record<MessageKey, string>>>;
};

/** t() over a catalog; a key it lacks is looked up in the fallback (Chinese), else shown as the key. */
export function makeTranslator(catalog: Catalog, fallback?: Catalog): Translate {
  const own = (table: Readonly<Record<string, string | undefined>> | undefined, key: string) =>
    table && Object.hasOwn(table, key) ? table[key] : undefined;
  return (key, params) => {
    const singular = params && String(params.count) === "1" ? own(catalog.singular, key) : undefined;
    const template = singular ?? own(catalog.messages, key) ?? own(fallback?.messages, key) ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

// The catalogs this page has: both on the server, the one the browser loaded on the client.
const pageCatalogs = new Map<Locale, Catalog>();
const listeners = new Set<() => void>();
let version = 0;

export function providePageCatalog(catalog: Catalog) {
  if (pageCatalogs.get(catalog.locale) === catalog) return;
  pageCatalogs.set(catalog.locale, catalog);
  version += 1;
  for (const listener of listeners) listener();
}

export function hasPageCatalog(locale: Locale): boolean {
  return pageCatalogs.has(locale);
}

/** For useSyncExternalStore: pages render again when a language's catalog arrives. */
export function subscribePageCatalogs(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function pageCatalogsVersion(): number {
  return version;
}

/**
 * The language a page in `locale` is shown in, and its t(). Until that catalog has arrived (for a moment after the
 * language changed without a page load, e.g. after signing in as someone who reads English), the page stays
 * wholly in the language it has — text, names and lang attribute — rather than mixing the two.
 */
export function pageLanguage(locale: Locale): { locale: Locale; t: Translate } {
  const catalog = pageCatalogs.get(locale) ?? pageCatalogs.get(DEFAULT_LOCALE) ?? pageCatalogs.values().next().value;
  if (!catalog) throw new Error("no message catalog is loaded");
  return { locale: catalog.locale, t: makeTranslator(catalog, pageCatalogs.get(DEFAULT_LOCALE)) };
}

/** A name in the user's language, from a row with _zh and _en columns. */
export function localName(locale: Locale, zh: string, enName: string): string {
  return locale === "en" && enName ? enName : zh;
}
