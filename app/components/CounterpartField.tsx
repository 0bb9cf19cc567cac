// The activity form's 对方机构: a text field as offices write it ("老挝波乔省、老挝沙耶武里省等"), with the counterpart
// register behind it. Without JavaScript the browser's own list (a datalist) offers the registered bodies; with it,
// a small list offers the bodies matching the name being typed (after the last 、), and a line below says which
// names will be linked and which the register does not know yet. After a save the server asks about those, here.
import { useEffect, useMemo, useState } from "react";
import { FieldError } from "~/components/FieldError";
import { COUNTERPART_LEVELS, counterpartKey, counterpartNames, isDescription, splitCountry } from "~/domain/counterparts";
import { type CounterpartQuestion, QUESTION_FIELDS } from "~/schemas/counterpart";
import { LIMITS } from "~/schemas/activity";
import { useI18n } from "~/utils/i18n-hooks";

export interface CounterpartOption {
  id: number;
  country_code: string;
  level: string;
  /** the body as a ledger writes it in the reader's language (老挝占巴塞省 / Champasak Province, Laos) */
  label: string;
  /** every name and spelling, folded */
  keys: string[];
}

const SUGGESTIONS = 8;

/** The text up to the name being typed, and that name (after the last separator). */
function lastName(text: string): { head: string; name: string } {
  const m = /^(.*[、,，;；\/／\n]\s*)?([^、,，;；\/／\n]*)$/s.exec(text);
  return { head: m?.[1] ?? "", name: m?.[2] ?? text };
}

export function CounterpartField({
  defaultValue,
  error,
  errorId,
  aria,
  options,
  countries,
  questions = [],
}: {
  defaultValue: string;
  error?: string;
  errorId: string;
  aria: Record<string, string | boolean | undefined>;
  options: CounterpartOption[];
  countries: { code: string; name: string }[];
  questions?: CounterpartQuestion[];
}) {
  const { t } = useI18n();
  const [text, setText] = useState(defaultValue);
  const [hydrated, setHydrated] = useState(false);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(-1);
  useEffect(() => setHydrated(true), []);

  const byKey = useMemo(() => {
    const map = new Map<string, CounterpartOption>();
    for (const o of options) for (const k of o.keys) if (!map.has(k)) map.set(k, o);
    return map;
  }, [options]);

  // a name as written, or without the country it opens with (老挝占巴色省 is 占巴色省 in Laos)
  const keysOf = (name: string) => {
    const split = splitCountry(name);
    return { whole: counterpartKey(name), bare: counterpartKey(split.rest), country: split.country };
  };
  const find = (name: string) => {
    const k = keysOf(name);
    const bare = byKey.get(k.bare);
    return byKey.get(k.whole) ?? (bare && (!k.country || bare.country_code === k.country) ? bare : undefined);
  };

  const typing = lastName(text);
  const query = keysOf(typing.name);
  const suggestions =
    hydrated && focused && query.whole
      ? options
          .filter((o) => o.keys.some((k) => k.includes(query.whole) || (!!query.country && o.country_code === query.country && k.includes(query.bare))))
          .filter((o) => o !== find(typing.name))
          .slice(0, SUGGESTIONS)
      : [];

  // what a save will do with each name: link a registered body, ask about an unknown name, or keep words
  const names = hydrated ? counterpartNames(text) : [];
  const linked = [...new Set(names.map(find).filter((o): o is CounterpartOption => !!o))];
  const unknown = names.filter((n) => !find(n) && !isDescription(n));

  const choose = (o: CounterpartOption) => {
    setText(`${typing.head}${o.label}`);
    setActive(-1);
  };

  return (
    <div className="wide counterpart-field">
      <label>
        {t("activity.counterpart_body")}
        <input
          name="counterpart_body"
          value={text}
          maxLength={LIMITS.counterpartBody + 50}
          autoComplete="off"
          list={hydrated ? undefined : "counterpart-register"}
          role={hydrated ? "combobox" : undefined}
          aria-expanded={hydrated ? suggestions.length > 0 : undefined}
          aria-controls={hydrated ? "counterpart-suggestions" : undefined}
          aria-autocomplete={hydrated ? "list" : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setActive(-1);
          }}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyDown={(e) => {
            if (!suggestions.length) return;
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              const step = e.key === "ArrowDown" ? 1 : -1;
              setActive((i) => (i + step + suggestions.length) % suggestions.length);
            } else if (e.key === "Enter" && active >= 0) {
              e.preventDefault();
              choose(suggestions[active]!);
            } else if (e.key === "Escape") setFocused(false);
          }}
          {...aria}
        />
      </label>
      {hydrated ? null : (
        <datalist id="counterpart-register">
          {options.map((o) => (
            <option key={o.id} value={o.label} />
          ))}
        </datalist>
      )}
      {suggestions.length ? (
        <ul className="suggestions" id="counterpart-suggestions" role="listbox" aria-label={t("counterparts.form.suggestions")}>
          {suggestions.map((o, i) => (
            <li key={o.id} role="option" aria-selected={i === active}>
              <button type="button" className={i === active ? "active" : undefined} onMouseDown={(e) => e.preventDefault()} onClick={() => choose(o)}>
                {o.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <span className="muted field-hint">{t("counterparts.form.hint")}</span>
      {linked.length || unknown.length ? (
        <p className="field-hint counterpart-preview" aria-live="polite">
          {linked.length ? (
            <span>
              {t("counterparts.form.will_link")} {linked.map((o) => o.label).join(t("counterparts.list_sep"))}
            </span>
          ) : null}
          {unknown.length ? (
            <span className="muted">
              {linked.length ? " " : ""}
              {t("counterparts.form.will_ask", { names: unknown.join(t("counterparts.list_sep")) })}
            </span>
          ) : null}
        </p>
      ) : null}
      <FieldError id={errorId} error={error} />
      {questions.length ? <CounterpartQuestions questions={questions} options={options} countries={countries} /> : null}
    </div>
  );
}

function CounterpartQuestions({
  questions,
  options,
  countries,
}: {
  questions: CounterpartQuestion[];
  options: CounterpartOption[];
  countries: { code: string; name: string }[];
}) {
  const { t } = useI18n();
  return (
    <fieldset className="counterpart-questions" id="counterpart-questions">
      <legend>{t("counterparts.form.questions_title")}</legend>
      {questions.map((q, i) => {
        const first = q.candidates.map((id) => options.find((o) => o.id === id)).filter((o): o is CounterpartOption => !!o);
        const rest = options.filter((o) => !q.candidates.includes(o.id));
        const choice = QUESTION_FIELDS.choice(i);
        return (
          <div key={q.name} className="counterpart-question">
            <input type="hidden" name={QUESTION_FIELDS.name} value={q.name} />
            <p>
              <strong>{q.name}</strong> {t(q.ambiguous ? "counterparts.form.ambiguous" : "counterparts.form.unknown")}
            </p>
            {q.error ? (
              <span className="field-error" role="alert">
                {t(q.error)}
              </span>
            ) : null}
            {q.ambiguous ? null : (
              <div className="question-option">
                <label className="check">
                  <input type="radio" name={choice} value="create" defaultChecked={q.choice === "create"} />
                  {t("counterparts.form.create", { name: q.bare })}
                </label>
                <div className="question-detail">
                  <label>
                    {t("counterparts.country")}
                    <select name={QUESTION_FIELDS.country(i)} defaultValue={q.country}>
                      <option value="">—</option>
                      {countries.map((c) => (
                        <option key={c.code} value={c.code}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t("counterparts.level")}
                    <select name={QUESTION_FIELDS.level(i)} defaultValue={q.level}>
                      {COUNTERPART_LEVELS.map((level) => (
                        <option key={level} value={level}>
                          {t(`counterparts.level.${level}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
              </div>
            )}
            <div className="question-option">
              <label className="check">
                <input type="radio" name={choice} value="existing" defaultChecked={q.choice === "existing"} />
                {t(q.ambiguous ? "counterparts.form.which" : "counterparts.form.existing")}
              </label>
              <div className="question-detail">
                <select name={QUESTION_FIELDS.existing(i)} defaultValue={q.existing} aria-label={t("counterparts.form.existing_select", { name: q.name })}>
                  <option value="">—</option>
                  {first.length ? (
                    <optgroup label={t(q.ambiguous ? "counterparts.form.candidates" : "counterparts.form.similar")}>
                      {first.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.label}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  <optgroup label={t("counterparts.form.all")}>
                    {rest.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </optgroup>
                </select>
              </div>
            </div>
            <div className="question-option">
              <label className="check">
                <input type="radio" name={choice} value="text" defaultChecked={q.choice === "text"} />
                {t("counterparts.form.text_only")}
              </label>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
