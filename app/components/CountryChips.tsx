// The activity form's counterpart countries. The five Mekong countries are chips to tick; any other country is
// found by typing and added as a chip (× removes it). Without JavaScript the other countries are a plain
// multiple-choice list, which the chips replace once the page has loaded.
import { useEffect, useState } from "react";
import { FieldError } from "~/components/FieldError";
import { useI18n } from "~/utils/i18n-hooks";

export interface CountryOption {
  code: string;
  name: string;
  mekong: boolean;
}

const SHOWN = 8;

export function CountryChips({
  countries,
  chosen,
  error,
  errorId,
  aria,
}: {
  countries: CountryOption[];
  chosen: string[];
  error?: string;
  errorId: string;
  aria: Record<string, unknown>;
}) {
  const { t } = useI18n();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const isMekong = new Set(countries.filter((c) => c.mekong).map((c) => c.code));
  const [others, setOthers] = useState<string[]>(() => chosen.filter((c) => !isMekong.has(c)));
  const [query, setQuery] = useState("");
  const nameOf = new Map(countries.map((c) => [c.code, c.name]));
  const q = query.trim().toLowerCase();
  const found = q
    ? countries.filter((c) => !c.mekong && !others.includes(c.code) && `${c.code} ${c.name}`.toLowerCase().includes(q)).slice(0, SHOWN)
    : [];
  const add = (code: string) => {
    setOthers((list) => (list.includes(code) ? list : [...list, code]));
    setQuery("");
  };

  return (
    <fieldset className="wide countries" {...aria}>
      <legend>{t("activity.countries")}</legend>
      <FieldError id={errorId} error={error} />
      <div className="chips mekong">
        {countries
          .filter((c) => c.mekong)
          .map((c) => (
            <label key={c.code} className="chip chip-check">
              <input type="checkbox" name="countries" value={c.code} defaultChecked={chosen.includes(c.code)} />
              {c.name}
            </label>
          ))}
      </div>
      {hydrated ? (
        <div className="other-countries">
          <div className="chips" aria-live="polite">
            {others.map((code) => (
              <span key={code} className="chip chip-chosen">
                <input type="hidden" name="countries" value={code} />
                {nameOf.get(code) ?? code}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t("entry.countries.remove", { country: nameOf.get(code) ?? code })}
                  onClick={() => setOthers((list) => list.filter((c) => c !== code))}
                >
                  ×
                </button>
              </span>
            ))}
          </div>
          <input
            type="search"
            className="picker-search"
            placeholder={t("entry.countries.search")}
            aria-label={t("entry.countries.search")}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              // Enter adds the first country found; it never submits the whole form
              if (e.key !== "Enter") return;
              e.preventDefault();
              if (found[0]) add(found[0].code);
            }}
          />
          {found.length ? (
            <div className="chips country-found">
              {found.map((c) => (
                <button key={c.code} type="button" className="chip" onClick={() => add(c.code)}>
                  + {c.name}
                </button>
              ))}
            </div>
          ) : q ? (
            <p className="muted">{t("entry.countries.none")}</p>
          ) : null}
        </div>
      ) : (
        <label>
          {t("activity.other_countries")}
          <select name="countries" multiple size={6} defaultValue={others}>
            {countries
              .filter((c) => !c.mekong)
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
