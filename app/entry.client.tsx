import { RemixBrowser } from "@remix-run/react";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { DEFAULT_LOCALE, isLocale } from "~/i18n";
import { loadPageCatalog } from "~/i18n/load";

// the page's language, as the server rendered it: its catalog (and only it) is loaded before hydration, so that
// the first render on the client says what the server said
const lang = document.documentElement.lang;
loadPageCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE).then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
