// The password policy, shared by the change-password form, the administrators' user forms and their actions.
// Messages are i18n keys shown beside the fields.
import { z } from "zod";
import { ROLES, type Role } from "../../db/schema";

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;

// The passwords guessed first: the most common ones of length ≥ 10 (English and Chinese lists), keyboard walks,
// and this app's own published demo password. Compared case-insensitively.
const COMMON_PASSWORDS = new Set([
  "1234567890",
  "0123456789",
  "12345678910",
  "1234567890a",
  "a1234567890",
  "qwertyuiop",
  "1q2w3e4r5t",
  "1qaz2wsx3edc",
  "qazwsxedcrfv",
  "asdfghjkl;",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "abcd123456",
  "abc1234567",
  "a123456789",
  "aa123456789",
  "qq123456789",
  "woaini1314",
  "woaini520",
  "5201314520",
  "1314520520",
  "1111111111",
  "0000000000",
  "8888888888",
  "6666666666",
  "1234512345",
  "123123123123",
  "administrator",
  "admin12345",
  "admin123456",
  "welcome123",
  "changeme123",
  "lancang2026",
  "lancangmekong",
]);

/** Is this password on the short list of the first ones an attacker tries? */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

/** The policy for a new password of the given user: long enough, not their name, not a common one. */
export function newPasswordSchema(username: string) {
  return z
    .string({ invalid_type_error: "errors.required" })
    .min(1, "errors.required")
    .min(PASSWORD_MIN_LENGTH, "security.password.too_short")
    .max(PASSWORD_MAX_LENGTH, "errors.too_long")
    .refine((p) => p.trim().toLowerCase() !== username.trim().toLowerCase(), "security.password.same_as_username")
    .refine((p) => !isCommonPassword(p), "security.password.common");
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** Field errors keyed by form field, as the forms render them. */
export type PasswordErrors = Partial<Record<"current_password" | "new_password" | "repeat_password" | string, string>>;

/** The change-password form: the new password twice, and (checked by the action) the current one. */
export function parseNewPassword(
  form: FormData,
  username: string,
): { ok: true; password: string } | { ok: false; errors: PasswordErrors } {
  const errors: PasswordErrors = {};
  const password = field(form, "new_password");
  const parsed = newPasswordSchema(username).safeParse(password);
  if (!parsed.success) errors.new_password = parsed.error.issues[0]!.message;
  const repeat = field(form, "repeat_password");
  if (!repeat) errors.repeat_password = "errors.required";
  else if (repeat !== password) errors.repeat_password = "security.password.mismatch";
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, password };
}

export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,59}$/;

/** A new account, created by an administrator; the password is a temporary one the user must replace. */
const newUserFields = z.object({
    username: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .pipe(z.string().regex(USERNAME_PATTERN, "security.users.errors.username")),
    display_name: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().min(1, "errors.required").max(100, "errors.too_long")),
    organization_id: z.coerce.number({ invalid_type_error: "errors.choose" }).int("errors.choose").positive("errors.choose"),
    role: z.enum(ROLES as [Role, ...Role[]], { errorMap: () => ({ message: "errors.choose" }) }),
});

export type NewUser = z.infer<typeof newUserFields> & { password: string };

/** Every field's problem in one round: the password is checked even when another field is wrong. */
export function parseNewUser(values: Record<string, string>): { ok: true; user: NewUser } | { ok: false; errors: PasswordErrors } {
  const errors: PasswordErrors = {};
  const fields = newUserFields.safeParse(values);
  if (!fields.success) for (const issue of fields.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const password = newPasswordSchema((values.username ?? "").trim().toLowerCase()).safeParse(values.password ?? "");
  if (!password.success) errors.password = password.error.issues[0]!.message;
  if (!fields.success || !password.success) return { ok: false, errors };
  return { ok: true, user: { ...fields.data, password: password.data } };
}
