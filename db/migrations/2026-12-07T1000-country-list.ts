// Frozen: the counterpart country list (docs/decisions/010-country-list.md). Country codes used to come from the
// runtime's CLDR data, which offered Taiwan, Hong Kong and Macao as countries and China as a counterpart. They are
// never stored as counterpart countries: this removes them, and any other code not on the list, from the activities'
// countries, and from the countries recorded in the audit history, the approval snapshots and waiting imports, so no
// page, export or draft can show them. The list is copied here (not imported) so the migration stays as written.
import type { Kysely } from "kysely";

const COUNTRY_CODES = new Set(
  (
    "AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CK CL " +
    "CM CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN " +
    "HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA " +
    "MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NU NZ OM PA PE PG PH PK PL PS PT " +
    "PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV " +
    "TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW"
  ).split(" "),
);

/** Every "countries" value in a stored JSON document, with codes not on the list left out. */
function scrub(value: unknown, key = ""): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    if (key === "countries" && value.every((v) => typeof v === "string")) {
      const kept = value.filter((code) => COUNTRY_CODES.has(code));
      return { value: kept, changed: kept.length !== value.length };
    }
    let changed = false;
    // An audit entry stores a change as "countries": [before, after].
    const out = value.map((v) => {
      const r = scrub(v, key === "countries" && Array.isArray(v) ? "countries" : "");
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (value && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = scrub(v, k);
      changed ||= r.changed;
      out[k] = r.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

async function scrubColumn(db: Kysely<any>, table: string, column: string): Promise<void> {
  let after = 0;
  for (;;) {
    const rows: { id: number; json: string | null }[] = await db
      .selectFrom(table)
      .select(["id", `${column} as json`])
      .where("id", ">", after)
      .where(column, "like", '%"countries"%')
      .orderBy("id")
      .limit(500)
      .execute();
    if (!rows.length) return;
    for (const row of rows) {
      if (!row.json) continue;
      const { value, changed } = scrub(JSON.parse(row.json));
      if (changed) await db.updateTable(table).set({ [column]: JSON.stringify(value) }).where("id", "=", row.id).execute();
    }
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("activity_countries").where("country_code", "not in", [...COUNTRY_CODES]).execute();
  await scrubColumn(db, "audit_log", "changes_json");
  await scrubColumn(db, "report_snapshots", "snapshot_json");
  await scrubColumn(db, "activity_imports", "rows_json");
}

export async function down(): Promise<void> {
  // Nothing to restore: the removed codes were never valid counterpart countries.
}
