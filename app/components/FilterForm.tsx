// The one way pages filter: a GET form (the filters are the URL, they work without JavaScript), keyed by the URL
// so its inputs always show the filters in force, with the message for an ignored filter beside its field.
import { Form, Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "~/utils/i18n-hooks";

/** `submit` and `reset` name the buttons when the form does more than filter (the drafts page generates a draft). */
export function FilterForm({ children, submit, reset }: { children: ReactNode; submit?: string; reset?: string }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <Form method="get" className="filters" aria-label={t("filter.title")} key={location.search}>
      {children}
      <div className="filter-actions">
        <button type="submit" className="primary">
          {submit ?? t("filter.apply")}
        </button>
        <Link to={location.pathname}>{reset ?? t("filter.reset")}</Link>
      </div>
    </Form>
  );
}

/** A filter's error: the general "ignored" note, or a message key that says why this value is refused. */
export function FilterInvalid({ show }: { show: boolean | string }) {
  const { t } = useI18n();
  return show ? (
    <span className="field-error" role="alert">
      {t(typeof show === "string" ? show : "filter.invalid")}
    </span>
  ) : null;
}

export interface FilterOption {
  value: string | number;
  label: string;
  /** indentation level in a tree (units, plan items) */
  depth?: number;
}

/** A select filter; `all` adds the choice that means no filter ("全部", or the label given). */
export function FilterSelect({
  label,
  name,
  value,
  options,
  all = true,
  invalid = false,
}: {
  label: string;
  name: string;
  value: string | number | null | undefined;
  options: FilterOption[];
  all?: boolean | string;
  /** true, or the message key of the reason */
  invalid?: boolean | string;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        {all ? <option value="">{typeof all === "string" ? all : t("filter.all")}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {"\u3000".repeat(Math.max(0, o.depth ?? 0))}
            {o.label}
          </option>
        ))}
      </select>
      <FilterInvalid show={invalid} />
    </label>
  );
}
