// Frozen: planned activities kept by the month of their end date in every unit's rows too (status 'planned-by-end',
// no country, no group; docs/decisions/019-totals-kept-with-the-ledger.md, addendum of 2026-12-07), so a unit's home
// counts its planned activities past their date from a few rows instead of its every planned activity. Filled from
// the ledger as it stands, in one INSERT … SELECT … GROUP BY (small: units × end months).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)
    select u.id, '', '', 'planned-by-end', substr(a.end_date, 1, 7),
           count(*), sum(coalesce(a.participants_count, 0)), sum(coalesce(a.delegations_count, 0)), sum(coalesce(a.funding_cny_fen, 0))
      from activities a
      join organizations lead on lead.id = a.organization_id
      join organizations u on lead.path like concat(u.path, '%')
     where a.deleted_at is null and a.status = 'planned'
     group by u.id, substr(a.end_date, 1, 7)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("activity_totals").where("organization_id", "<>", 0).where("status", "=", "planned-by-end").execute();
}
