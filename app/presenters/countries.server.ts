// Country names in the user's language, computed on the server so server and browser render the same text.
import type { Locale } from "~/i18n";
import { orderedCountries } from "~/utils/countries";

export function countryChoices(locale: Locale) {
  const list = orderedCountries(locale);
  return { countries: list, countryNames: Object.fromEntries(list.map((c) => [c.code, c.name])) };
}
