// The live count beside an indicator's 口径: whenever a field of the surrounding form changes, it asks
// /indicators/count what the definition as it stands counts for the chosen unit and period, and shows the sentence
// ("按此口径，西双版纳傣族自治州 2023年上半年 计 5 项活动，10 批 47 人次…"). Without JavaScript it says where the
// figures appear instead.
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { useI18n } from "~/utils/i18n-hooks";

export interface CountingPreviewOptions {
  units: { id: number; name_zh: string; name_en: string; depth: number }[];
  periods: { code: string; kind: string; year: number; seq: number }[];
  unitId: number | null;
  periodCode: string | null;
}

export function CountingPreview({ options, values }: { options: CountingPreviewOptions; values: Record<string, string> }) {
  const { t, locale } = useI18n();
  const fetcher = useFetcher<{ text: string | null; errors: Record<string, string> | null }>();
  const box = useRef<HTMLDivElement>(null);
  const load = fetcher.load;

  useEffect(() => {
    const form = box.current?.closest("form");
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      const query = new URLSearchParams();
      for (const [key, value] of new FormData(form)) if (typeof value === "string") query.append(key, value);
      load(`/indicators/count?${query}`);
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    };
    ask();
    form.addEventListener("change", later);
    form.addEventListener("input", later);
    return () => {
      clearTimeout(timer);
      form.removeEventListener("change", later);
      form.removeEventListener("input", later);
    };
  }, [load]);

  const data = fetcher.data;
  const problems = data?.errors ? Object.values(data.errors).map((key) => t(key)) : [];
  return (
    <div className="counting-preview wide" ref={box}>
      <label>
        {t("indicators.counting.preview_unit")}
        <select name="preview_unit" defaultValue={values.preview_unit || String(options.unitId ?? "")}>
          {options.units.map((u) => (
            <option key={u.id} value={u.id}>
              {"\u3000".repeat(Math.max(0, u.depth))}
              {localName(locale, u.name_zh, u.name_en)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("indicators.counting.preview_period")}
        <select name="preview_period" defaultValue={values.preview_period || (options.periodCode ?? "")}>
          {options.periods.map((p) => (
            <option key={p.code} value={p.code}>
              {periodName(p, locale)}
            </option>
          ))}
        </select>
      </label>
      <p className="counting-result" role="status" aria-live="polite">
        {data?.text ? (
          <strong>{data.text}</strong>
        ) : problems.length ? (
          <span className="field-error">{[...new Set(problems)].join(" ")}</span>
        ) : fetcher.state !== "idle" ? (
          t("indicators.counting.preview_loading")
        ) : (
          <span className="muted">{t("indicators.counting.preview_needs_js")}</span>
        )}
      </p>
    </div>
  );
}
