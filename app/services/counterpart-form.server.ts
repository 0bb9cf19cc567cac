// The activity form's 对方机构: the names its text holds, resolved against the counterpart register. A name the
// register knows (by any spelling) is linked; a name it does not know is never registered silently: the form comes
// back asking, for each, to confirm a new body (its country and level), to say which registered body it is (the
// spelling then becomes that body's alias), or to keep it as words only. Countries and groups ("周边国家") are
// words, never asked about.
import { type CounterpartMatcher, type Resolution, bodyFullName, counterpartKey, guessLevel, isCounterpartLevel } from "~/domain/counterparts";
import type { Locale } from "~/i18n";
import { type CounterpartChoice, type CounterpartQuestion, QUESTION_FIELDS } from "~/schemas/counterpart";
import { type CounterpartRef, loadCounterpartMatcher, loadRegisterEntries } from "~/models/counterpart.server";
import { type SessionUser, can, forbidden } from "~/utils/auth.server";
import { isCountryCode, notCountry, notCountryMessage } from "~/utils/countries";
import type { DB } from "~/utils/db.server";

const MAX_QUESTIONS = 40;

interface Answer {
  choice: CounterpartChoice;
  country: string;
  level: string;
  existing: string;
}

function answersOf(formData: FormData): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  const field = (name: string) => {
    const v = formData.get(name);
    return typeof v === "string" ? v.trim() : "";
  };
  formData
    .getAll(QUESTION_FIELDS.name)
    .slice(0, MAX_QUESTIONS)
    .forEach((name, i) => {
      if (typeof name !== "string" || !counterpartKey(name)) return;
      const choice = field(QUESTION_FIELDS.choice(i));
      answers.set(counterpartKey(name), {
        choice: choice === "create" || choice === "existing" || choice === "text" ? choice : "",
        country: field(QUESTION_FIELDS.country(i)).toUpperCase(),
        level: field(QUESTION_FIELDS.level(i)),
        existing: field(QUESTION_FIELDS.existing(i)),
      });
    });
  return answers;
}

function unresolvedKeys(matcher: CounterpartMatcher, text: string): Set<string> {
  return new Set(
    matcher
      .resolveText(text)
      .filter((r) => r.kind === "unknown" || r.kind === "ambiguous")
      .map((r) => counterpartKey(r.name)),
  );
}

export interface FormCounterparts {
  /** the bodies to link (and register), when every name is settled */
  refs: CounterpartRef[];
  /** the names still to settle; the form comes back with them */
  questions: CounterpartQuestion[];
}

/**
 * The bodies a submitted 对方机构 text names. `previous` is the activity as saved (an edit): names it already held
 * unsettled were kept as words then and are not asked about again, and a name several bodies share keeps the body
 * it was linked to.
 */
export async function resolveFormCounterparts(
  db: DB,
  user: SessionUser,
  text: string,
  formData: FormData,
  context: { countries: string[]; previous?: { text: string; counterpartIds: number[] } },
): Promise<FormCounterparts> {
  if (!text.trim()) return { refs: [], questions: [] };
  const matcher = await loadCounterpartMatcher(db);
  const answers = answersOf(formData);
  const settledBefore = context.previous ? unresolvedKeys(matcher, context.previous.text) : new Set<string>();
  const linkedBefore = new Set(context.previous?.counterpartIds ?? []);
  const refs: CounterpartRef[] = [];
  const questions: CounterpartQuestion[] = [];

  const ask = (r: Extract<Resolution, { kind: "unknown" | "ambiguous" }>) => {
    const answer = answers.get(counterpartKey(r.name));
    const bare = r.kind === "unknown" ? r.bare : r.name;
    const question: CounterpartQuestion = {
      name: r.name,
      bare,
      choice: answer?.choice ?? "",
      country: answer?.country || (r.kind === "unknown" ? (r.country ?? (context.countries.length === 1 ? context.countries[0]! : "")) : ""),
      level: answer?.level || guessLevel(bare),
      existing: answer?.existing ?? "",
      candidates: r.kind === "unknown" ? r.similar : r.ids,
      ambiguous: r.kind === "ambiguous",
      error: null,
    };
    if (question.choice === "text") return;
    if (question.choice === "existing") {
      const id = /^\d{1,9}$/.test(question.existing) ? Number(question.existing) : NaN;
      if (matcher.entry(id)) refs.push({ id, alias: r.kind === "unknown" ? r.name : undefined });
      else questions.push({ ...question, error: "counterparts.form.choose_existing" });
      return;
    }
    if (question.choice === "create") {
      if (!can(user, "counterpart.create")) throw forbidden();
      const refused = notCountry(question.country);
      const error = !question.country
        ? "counterparts.form.country_required"
        : refused
          ? notCountryMessage(refused)
          : !isCountryCode(question.country)
            ? "errors.country"
            : !isCounterpartLevel(question.level)
              ? "errors.choose"
              : null;
      if (error) questions.push({ ...question, error });
      else if (isCounterpartLevel(question.level)) refs.push({ create: { nameZh: r.name, countryCode: question.country, level: question.level } });
      return;
    }
    questions.push(question);
  };

  for (const r of matcher.resolveText(text)) {
    if (r.kind === "body") refs.push({ id: r.id });
    else if (r.kind === "description") continue;
    else if (r.kind === "ambiguous" && r.ids.some((id) => linkedBefore.has(id)) && !answers.has(counterpartKey(r.name))) {
      refs.push({ id: r.ids.find((id) => linkedBefore.has(id))! });
    } else if (settledBefore.has(counterpartKey(r.name)) && !answers.has(counterpartKey(r.name))) continue;
    else ask(r);
  }
  return { refs, questions };
}

/** The register as the form offers it: each body with its name as a ledger writes it, and every spelling. */
export async function counterpartChoices(db: DB, locale: Locale) {
  const entries = await loadRegisterEntries(db);
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  return entries
    .map((e) => ({
      id: e.id,
      country_code: e.country_code,
      level: e.level,
      /** 老挝占巴塞省 / Champasak Province, Laos: what choosing it writes into the text */
      label: bodyFullName(e, locale),
      /** every name and spelling, folded, for the suggestion list */
      keys: [...new Set([e.name_zh, e.name_en, e.name_local, bodyFullName(e, "zh-CN"), bodyFullName(e, "en"), ...e.aliases].filter(Boolean).map(counterpartKey))],
    }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

export type CounterpartChoiceOption = Awaited<ReturnType<typeof counterpartChoices>>[number];
