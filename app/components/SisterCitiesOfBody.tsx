// A foreign body's sister-city relationships with our units, on its page in the counterpart register.
import { Link } from "@remix-run/react";
import { StageText } from "~/components/StageText";
import { useI18n } from "~/utils/i18n-hooks";

export function SisterCitiesOfBody({
  relationships,
  bodyId,
  canAdd,
}: {
  relationships: { id: number; unit: string; stage: string; stage_on: string | null; ended_on: string | null; classification: string | null }[];
  bodyId: number;
  canAdd: boolean;
}) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="sister-cities-of-body">
      <h2 id="sister-cities-of-body">{t("sister_cities.of_body")}</h2>
      {relationships.length ? (
        <ul className="plain-list">
          {relationships.map((r) => (
            <li key={r.id}>
              <Link to={`/sister-cities/${r.id}`}>{r.unit}</Link>
              {" · "}
              <StageText stage={r.stage} date={r.stage_on} ended={r.ended_on} />
              {r.classification ? (
                <>
                  {" · "}
                  <span className={`class-tag class-${r.classification}`}>{t(`sister_cities.class.${r.classification}`)}</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("sister_cities.of_body_none")}</p>
      )}
      {canAdd ? (
        <p>
          <Link to={`/sister-cities/new?body=${bodyId}`}>{t("sister_cities.of_body_add")}</Link>
        </p>
      ) : null}
    </section>
  );
}
