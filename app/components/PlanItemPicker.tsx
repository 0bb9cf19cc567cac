// The activity form's plan-item picker. Each item is one big target: clicking anywhere on it makes it the main item
// (主要条款, one, by which the activity is counted); the "其他" box beside it adds it as a further item. The search
// matches codes, titles, the plan's own text and the everyday words offices use (seeds/data/plan-words.ts), and
// the items where the chosen activity type is usually counted are marked and offered first. Without JavaScript
// every item is listed and the search is answered by the server (Enter re-shows the form filtered, saving nothing).
import { useRef } from "react";
import { FieldError } from "~/components/FieldError";
import { localName } from "~/i18n";
import { useI18n } from "~/utils/i18n-hooks";

export interface PickerItem {
  code: string;
  title_zh: string;
  title_en: string;
  depth: number;
  loggable: boolean;
  /** the item's plan text (both languages), lower-cased, for the search */
  text: string;
  /** the everyday words people use for it */
  words: string[];
}

/** The terms of a query: whitespace-separated, lower-cased. */
export function queryTerms(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Does the item answer every term (in its code, titles, words or plan text)? Returns the everyday word or "text"
 * that matched when the title alone does not, so the list can say why an item was found; null when it does not.
 */
export function matchItem(item: PickerItem, terms: string[]): { why: string | null } | null {
  let why: string | null = null;
  for (const term of terms) {
    if (`${item.code} ${item.title_zh} ${item.title_en}`.toLowerCase().includes(term)) continue;
    const word = item.words.find((w) => w.toLowerCase().includes(term));
    if (word) {
      why ??= word;
      continue;
    }
    if (item.text.includes(term)) {
      why ??= "text";
      continue;
    }
    return null;
  }
  return { why };
}

export function PlanItemPicker({
  items,
  suggested,
  query,
  onQuery,
  primary,
  others,
  error,
  errorId,
  aria,
}: {
  items: PickerItem[];
  /** codes usually chosen for the activity type picked */
  suggested: readonly string[];
  query: string;
  onQuery: (q: string) => void;
  primary: string;
  others: Set<string>;
  error?: string;
  errorId: string;
  aria: Record<string, unknown>;
}) {
  const { t, locale } = useI18n();
  const listRef = useRef<HTMLUListElement>(null);
  const terms = queryTerms(query);
  const found = new Map(items.filter((p) => p.loggable).map((p) => [p.code, terms.length ? matchItem(p, terms) : { why: null }]));
  const visible = new Set<string>();
  for (const [code, match] of found) {
    if (!match) continue;
    // keep the headings above a match visible, so the tree still reads as a tree
    for (let c = code; ; c = c.slice(0, c.lastIndexOf("."))) {
      visible.add(c);
      if (!c.includes(".")) break;
    }
  }
  const matches = [...found.values()].filter(Boolean).length;
  const suggestedItems = suggested.map((code) => items.find((p) => p.code === code)).filter((p): p is PickerItem => !!p);

  /** A suggestion chip makes its item the main one (or, when another is main already, a further one). */
  const choose = (code: string) => {
    const list = listRef.current;
    if (!list) return;
    const radio = list.querySelector<HTMLInputElement>(`input[name="primary_plan_item"][value="${code}"]`);
    const chosen = list.querySelector<HTMLInputElement>('input[name="primary_plan_item"]:checked');
    if (radio && (!chosen || chosen === radio)) radio.checked = true;
    else list.querySelector<HTMLInputElement>(`input[name="plan_items"][value="${code}"]`)?.click();
    onQuery("");
    radio?.closest("li")?.scrollIntoView({ block: "nearest" });
  };

  return (
    <fieldset className="wide plan-picker" {...aria}>
      <legend>{t("entry.picker.legend")} *</legend>
      <p className="field-hint muted">{t("entry.picker.hint")}</p>
      <FieldError id={errorId} error={error} />
      <div className="picker-searchbar">
        <input
          type="search"
          name="plan_query"
          className="picker-search"
          placeholder={t("entry.picker.search")}
          aria-label={t("entry.picker.search")}
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={(e) => {
            // Enter narrows the list; it never submits the whole form
            if (e.key === "Enter") e.preventDefault();
          }}
        />
        {terms.length ? (
          <span className="muted" aria-live="polite">
            {matches ? t("entry.picker.found", { count: matches }) : t("entry.picker.none")}
          </span>
        ) : null}
      </div>
      {suggestedItems.length ? (
        <div className="picker-suggest">
          <span className="muted">{t("entry.picker.suggested")}</span>
          {suggestedItems.map((p) => (
            <button key={p.code} type="button" className="chip" onClick={() => choose(p.code)}>
              <span className="code">{p.code}</span> {localName(locale, p.title_zh, p.title_en)}
            </button>
          ))}
        </div>
      ) : null}
      <ul className="picker-list" ref={listRef}>
        {items.map((p) => {
          const match = found.get(p.code);
          const name = localName(locale, p.title_zh, p.title_en);
          if (!p.loggable) {
            return (
              <li key={p.code} hidden={!visible.has(p.code)} className="heading" style={{ paddingLeft: `${p.depth * 0.8}em` }}>
                <span className="code">{p.code}</span> {name}
              </li>
            );
          }
          const isSuggested = suggested.includes(p.code);
          return (
            <li key={p.code} hidden={!visible.has(p.code)} className={isSuggested ? "loggable suggested" : "loggable"} data-code={p.code}>
              <label className="pick-main" style={{ paddingLeft: `${0.5 + p.depth * 0.8}em` }}>
                <input type="radio" name="primary_plan_item" value={p.code} defaultChecked={primary === p.code} />
                <span className="pick-text" data-main={t("entry.picker.main_badge")}>
                  <span className="code">{p.code}</span> {name}
                  {isSuggested ? <span className="badge suggest-badge">{t("entry.picker.suggested_badge")}</span> : null}
                  {match?.why ? (
                    <span className="pick-why muted">
                      {match.why === "text" ? t("entry.picker.why_text") : t("entry.picker.why_word", { word: match.why })}
                    </span>
                  ) : null}
                </span>
              </label>
              <label className="pick-other">
                <input type="checkbox" name="plan_items" value={p.code} defaultChecked={others.has(p.code)} />
                {t("entry.picker.other")}
                <span className="visually-hidden"> {p.code}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
