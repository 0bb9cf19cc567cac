// The interface language: a long-lived cookie (so the choice sticks, signed in or not), then the user's saved
// choice, then 简体中文.
import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, type Locale, isLocale } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { getUser } from "./auth.server";

export const localeCookie = createCookie("lmc_locale", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 365 * 24 * 3600,
});

export async function getLocale(request: Request, user?: { locale: string } | null): Promise<Locale> {
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  const signedIn = user === undefined ? await getUser(request) : user;
  if (signedIn && isLocale(signedIn.locale)) return signedIn.locale;
  return DEFAULT_LOCALE;
}

export async function requestTranslator(request: Request, user?: { locale: string } | null) {
  const locale = await getLocale(request, user);
  return { locale, t: translator(locale) };
}
