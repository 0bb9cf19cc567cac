// What every form shares, whatever it is for: the one rule for free text, its field errors, and refusing a field
// sent more than once.
import { z } from "zod";

// "<b>", "</p>", "<!--", "<script": markup. "a < b" is plain text and passes.
const HTML_LIKE = /<[a-zA-Z!/?]/;
// Control characters (NUL …) and bidirectional overrides that make text display other than it reads. Tabs and line
// breaks are text.
const HIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/**
 * Free text as every form takes it — titles, narratives, reasons, comments — once trimmed: at most `max`
 * characters, no markup, no control or bidirectional-override characters. Its problems in that order (i18n keys),
 * none when it is fine. Plain, so a checker that runs it on many rows (the import) need not go through zod.
 */
export function plainTextProblems(trimmed: string, max: number): string[] {
  const problems: string[] = [];
  if (trimmed.length > max) problems.push("errors.too_long");
  if (HTML_LIKE.test(trimmed)) problems.push("errors.html");
  if (HIDDEN_CHARS.test(trimmed)) problems.push("errors.hidden_chars");
  return problems;
}

/** The free-text rule (plainTextProblems) as a zod schema: trims, then adds each problem as an issue. */
export function plainText(max: number) {
  return z
    .string()
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      for (const message of plainTextProblems(s, max)) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    });
}

export type FieldErrors = Partial<Record<string, string>>;

/**
 * The fields sent more than once among those that take one value (every field but `lists`). A browser never
 * sends them so; a crafted request that does is refused with "errors.one_value" on the field, instead of one
 * copy silently winning (and different layers perhaps reading different copies).
 */
export function repeatedFields(formData: FormData, lists: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of formData.keys()) {
    if (lists.includes(key)) continue;
    if (seen.has(key)) repeated.add(key);
    else seen.add(key);
  }
  return [...repeated];
}

/** "errors.one_value" on each repeated field: merged into a form's field errors. */
export function repeatedFieldErrors(formData: FormData, lists: readonly string[] = []): FieldErrors {
  return Object.fromEntries(repeatedFields(formData, lists).map((field) => [field, "errors.one_value"]));
}
