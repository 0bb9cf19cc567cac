import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import type { Rating } from "../../db/schema";
import { localName } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { saveRating } from "~/models/rating.server";
import { getPeriodByCode, listPeriods } from "~/models/reporting-period.server";
import { loadEvaluation } from "~/presenters/evaluation.server";
import { mayExportAllUnits, provinceLedgers } from "~/services/ledger-export.server";
import { acceptAllProposals, proposalsFor } from "~/services/rating-proposal.server";
import { repeatedFieldErrors } from "~/schemas/form";
import { RATINGS, narrativeText } from "~/schemas/period-report";
import { can, notFound, requirePermission, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { requestTranslator } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "evaluation.title", data?.period.code);

async function requirePeriod(code: string | undefined) {
  const period = code && /^[\dA-Z-]{4,10}$/.test(code) ? await getPeriodByCode(db, code) : undefined;
  if (!period) throw notFound();
  return period;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const period = await requirePeriod(params.period);
  const evaluation = await loadEvaluation(db, period);
  return json({
    period,
    periods: await listPeriods(db),
    ...evaluation,
    canRate: can(user, "rating.save"),
    // the province-wide and all-units ledgers are the secretariat's roles' (the route refuses the latter to others)
    ledgers: { provinces: await provinceLedgers(db, user), allUnits: mayExportAllUnits(user) },
  });
}

const ratingSchema = z.object({
  plan_item_id: z.coerce.number({ invalid_type_error: "errors.plan_item" }).int("errors.plan_item").positive("errors.plan_item"),
  rating: z.enum(["green", "yellow", "red"], { errorMap: () => ({ message: "evaluation.errors.rating" }) }),
  comment: narrativeText.pipe(z.string().min(1, "evaluation.errors.comment")),
  override_reason: narrativeText,
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "rating.save");
  const period = await requirePeriod(params.period);
  const formData = await request.formData();
  if (formData.get("intent") === "accept_all") {
    if (formData.get("confirm") !== "yes") return json({ planItemId: 0, errors: { confirm: "evaluation.errors.confirm" } }, { status: 400 });
    const { t } = await requestTranslator(request, user);
    const count = await acceptAllProposals(db, period, user.id, t("evaluation.accept_all_comment"));
    return redirect(`/evaluation/${period.code}?accepted=${count}`);
  }
  const form: Record<string, FormDataEntryValue> = { comment: "", override_reason: "", ...Object.fromEntries(formData) };
  const parsed = ratingSchema.safeParse(form);
  const planItemId = Number(form.plan_item_id) || 0;
  const repeated = repeatedFieldErrors(formData);
  if (!parsed.success || Object.keys(repeated).length) {
    const errors = { ...(parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))), ...repeated };
    return json({ planItemId, errors }, { status: 400 });
  }
  // The proposal is recomputed here, not taken from the form: the override rule must hold against the real one.
  const { loggable, proposals } = await proposalsFor(db, period);
  const proposal = proposals.get(parsed.data.plan_item_id);
  if (!proposal || !loggable.some((p) => p.id === parsed.data.plan_item_id)) throw notFound();
  if (parsed.data.rating !== proposal.rating && !parsed.data.override_reason) {
    return json({ planItemId, errors: { override_reason: "evaluation.errors.override" } }, { status: 400 });
  }
  await saveRating(
    db,
    {
      periodId: period.id,
      planItemId: parsed.data.plan_item_id,
      rating: parsed.data.rating,
      proposedRating: proposal.rating,
      proposalJson: JSON.stringify(proposal),
      comment: parsed.data.comment,
      overrideReason: parsed.data.rating === proposal.rating ? "" : parsed.data.override_reason,
    },
    user.id,
  );
  return redirect(`/evaluation/${period.code}?saved=${parsed.data.plan_item_id}#item-${parsed.data.plan_item_id}`);
}

function Light({ rating }: { rating: Rating }) {
  const { t } = useI18n();
  return (
    <span className={`light light-${rating}`} title={t(`evaluation.rating.${rating}`)}>
      {t(`evaluation.short.${rating}`)}
    </span>
  );
}

export default function EvaluationPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { t, locale } = useI18n();
  let lastGroup = "";
  return (
    <div className="page">
      <div className="page-head">
        <h1>
          {t("evaluation.title")} · {periodName(data.period, locale)}
        </h1>
        <label>
          {t("reports.period")}{" "}
          <select value={data.period.code} onChange={(e) => navigate(`/evaluation/${e.target.value}`)}>
            {data.periods.map((p) => (
              <option key={p.id} value={p.code}>
                {periodName(p, locale)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">{t("evaluation.intro")}</p>
      <p className="export-links">
        <a href={`/exports/evaluation.xlsx?period=${data.period.code}`} download title={t("exports.link.evaluation_hint")}>{t("exports.link.evaluation")}</a>
        {data.ledgers.provinces.map((p) => {
          const name = localName(locale, p.name_zh, p.name_en);
          return (
            <a key={p.id} href={`/exports/ledger.xlsx?period=${data.period.code}&unit=${p.id}`} download title={t("exports.link.ledger_of_hint", { unit: name })}>
              {t("exports.link.ledger_of", { unit: name })}
            </a>
          );
        })}
        {data.ledgers.allUnits ? (
          <a href={`/exports/ledger.xlsx?period=${data.period.code}`} download title={t("exports.link.ledger_all_hint")}>
            {t("exports.link.ledger_all")}
          </a>
        ) : null}
        <a href={`/monitoring?kind=${data.period.kind}&year=${data.period.year}`}>{t("exports.link.more_ledgers")}</a>
      </p>
      <p id="rating-summary">{t("evaluation.summary", data.summary)}</p>
      {params.get("saved") ? <p className="notice">{t("evaluation.saved")}</p> : null}
      {params.get("accepted") ? <p className="notice">{t("evaluation.accepted_all", { count: Number(params.get("accepted")) || 0 })}</p> : null}
      {data.canRate && data.summary.none > 0 ? (
        <Form method="post" className="accept-all bulk-bar">
          <input type="hidden" name="intent" value="accept_all" />
          <p className="muted">{t("evaluation.accept_all_hint", { count: data.summary.none })}</p>
          <label className="check">
            <input type="checkbox" name="confirm" value="yes" required aria-invalid={actionData?.errors && "confirm" in actionData.errors ? true : undefined} />
            {t("evaluation.accept_all_confirm")}
          </label>
          {actionData?.errors && "confirm" in actionData.errors ? (
            <span className="field-error" role="alert">
              {t("evaluation.errors.confirm")}
            </span>
          ) : null}{" "}
          <button type="submit" className="primary">
            {t("evaluation.accept_all")}
          </button>
        </Form>
      ) : null}
      <div className="table-wrap">
        <table className="ledger evaluation">
          <thead>
            <tr>
              <th scope="col">{t("evaluation.item")}</th>
              <th scope="col">{t("evaluation.proposed")}</th>
              <th scope="col">{t("evaluation.reasons")}</th>
              <th scope="col">{t("evaluation.rating")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.flatMap((row) => {
              const out = [];
              if (row.group && row.group.code !== lastGroup) {
                lastGroup = row.group.code;
                out.push(
                  <tr key={`g-${row.group.code}`} className="group-row">
                    <th colSpan={4} scope="colgroup">
                      {row.group.code} {localName(locale, row.group.title_zh, row.group.title_en)}
                    </th>
                  </tr>,
                );
              }
              const errors = actionData?.planItemId === row.id ? (actionData.errors as Record<string, string>) : {};
              out.push(
                <tr key={row.code} id={`item-${row.id}`} data-code={row.code}>
                  <td className="title-cell">
                    <Link to={`/plan/${row.code}`}>
                      {row.code} {localName(locale, row.title_zh, row.title_en)}
                    </Link>
                  </td>
                  <td>
                    <Light rating={row.proposal.rating} />
                  </td>
                  <td>
                    <ul className="reasons">
                      {row.proposal.reasons.map((r, i) => (
                        <li key={i}>{t(r.key, r.params)}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="rating-cell">
                    {row.rating ? (
                      <div className="current-rating">
                        <Light rating={row.rating.rating} /> {row.rating.comment}
                        {row.rating.overrideReason ? <div className="muted">{row.rating.overrideReason}</div> : null}
                        <div className="muted">
                          {t("evaluation.rated_by", { name: row.rating.ratedBy ?? "", date: formatDateTime(row.rating.ratedAt, locale) })}
                        </div>
                      </div>
                    ) : (
                      <span className="muted">{t("evaluation.not_rated")}</span>
                    )}
                    {data.canRate ? (
                      <details className="rating-edit" open={Object.keys(errors).length > 0}>
                        <summary>{t(row.rating ? "bulk.eval.change" : "bulk.eval.rate")}</summary>
                        <Form method="post" className="rating-form">
                          <input type="hidden" name="plan_item_id" value={row.id} />
                          <fieldset>
                            <legend className="visually-hidden">{t("evaluation.rating")}</legend>
                            {RATINGS.map((r) => (
                              <label key={r} className="check">
                                <input type="radio" name="rating" value={r} defaultChecked={(row.rating?.rating ?? row.proposal.rating) === r} />
                                {t(`evaluation.rating.${r}`)}
                              </label>
                            ))}
                          </fieldset>
                          {errors.rating ? <span className="field-error">{t(errors.rating)}</span> : null}
                          <label>
                            {t("evaluation.comment")}
                            <textarea name="comment" rows={2} defaultValue={row.rating?.comment ?? ""} aria-invalid={errors.comment ? true : undefined} />
                            {errors.comment ? <span className="field-error" role="alert">{t(errors.comment)}</span> : null}
                          </label>
                          <label>
                            {t("evaluation.override_reason")}
                            <input name="override_reason" defaultValue={row.rating?.overrideReason ?? ""} aria-invalid={errors.override_reason ? true : undefined} />
                            {errors.override_reason ? <span className="field-error" role="alert">{t(errors.override_reason)}</span> : null}
                          </label>
                          <button type="submit" className="small primary">
                            {t("evaluation.save")}
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </td>
                </tr>,
              );
              return out;
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
