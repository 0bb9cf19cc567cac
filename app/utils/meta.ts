// Page titles in the user's language: meta functions cannot use hooks, so they read the locale from the root
// loader's data in `matches`.
import type { MetaDescriptor } from "@remix-run/node";
import { DEFAULT_LOCALE, type MessageKey, isLocale, localName, pageLanguage } from "~/i18n";

type Match = { id: string; data: unknown };

/** A name for the title: one text, or a name in both languages (the English one when there is one). */
type TitleName = string | { zh: string; en?: string | null; after?: string; before?: string };

export function pageTitle(matches: readonly Match[], key?: MessageKey, prefix?: TitleName): MetaDescriptor[] {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
  const { t, locale: shown } = pageLanguage(isLocale(locale) ? locale : DEFAULT_LOCALE);
  const name =
    typeof prefix === "object" ? [prefix.before, localName(shown, prefix.zh, prefix.en ?? ""), prefix.after].filter(Boolean).join(" ") : prefix;
  const parts = [name, key ? t(key) : undefined, t("app.title")].filter(Boolean);
  return [{ title: parts.join(" · ") }];
}
