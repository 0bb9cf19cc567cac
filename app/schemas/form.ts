// What every form shares, whatever it is for: its field errors, and refusing a field sent more than once.

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
