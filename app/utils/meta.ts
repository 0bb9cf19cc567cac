// Page titles in the user's language: meta functions cannot use hooks, so they read the locale from the root
// loader's data in `matches`.
import type { MetaDescriptor } from "@remix-run/node";
import { DEFAULT_LOCALE, type MessageKey, isLocale, pageLanguage } from "~/i18n";

type Match = { id: string; data: unknown };

export function pageTitle(matches: readonly Match[], key?: MessageKey, prefix?: string): MetaDescriptor[] {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
  const { t } = pageLanguage(isLocale(locale) ? locale : DEFAULT_LOCALE);
  const parts = [prefix, key ? t(key) : undefined, t("app.title")].filter(Boolean);
  return [{ title: parts.join(" · ") }];
}
