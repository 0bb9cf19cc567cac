// The client side of i18n: the locale comes from the root loader, t() from the catalog the page has loaded.
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { DEFAULT_LOCALE, type Locale, pageCatalogsVersion, pageLanguage, subscribePageCatalogs } from "~/i18n";
import { loadPageCatalog } from "~/i18n/load";

export function useI18n() {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  const wanted = data?.locale ?? DEFAULT_LOCALE;
  // the language can change without a page load (signing in as someone who reads English): fetch its catalog
  const version = useSyncExternalStore(subscribePageCatalogs, pageCatalogsVersion, pageCatalogsVersion);
  useEffect(() => {
    void loadPageCatalog(wanted);
  }, [wanted]);
  // a catalog arriving (version) changes the language shown
  return useMemo(() => pageLanguage(wanted), [wanted, version]);
}
