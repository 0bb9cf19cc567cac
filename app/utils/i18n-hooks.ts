// The client side of i18n: the locale comes from the root loader, t() from the shared catalogs.
import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { DEFAULT_LOCALE, type Locale, translator } from "~/i18n";

export function useI18n() {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const t = useMemo(() => translator(locale), [locale]);
  return { locale, t };
}
