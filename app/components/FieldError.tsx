// A form field's error message beside it (an i18n key translated), and the ids/aria attributes that tie the
// field to it, so screen readers announce it. Every form uses these.
import { useId } from "react";
import type { FieldErrors } from "~/schemas/form";
import { useI18n } from "~/utils/i18n-hooks";

export function FieldError({ id, error }: { id: string; error?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {t(error)}
    </span>
  );
}

/** Ids and aria attributes that tie each field to its error message. */
export function useFieldErrorIds(errors: FieldErrors) {
  const uid = useId();
  const errId = (field: string) => `${uid}-${field}-error`;
  const aria = (field: string) =>
    errors[field] ? { "aria-invalid": true as const, "aria-describedby": errId(field) } : {};
  return { errId, aria };
}
