// Frozen: the ledger's totals per activity type (docs/decisions/019-totals-kept-with-the-ledger.md), filled from the
// ledger as it stands; activity_totals filled again with a unit's rows holding its whole subtree and planned activities
// also kept by the month of their end date; and an index for a unit's planned activities past their end date.
//
// activity_type_totals holds, per key, how many live activities (not in the recycle bin) there are and their
// people, delegations and funding: per unit (organization_id: the activities led by it or a unit below it; 0 = every
// unit), activity type, status and month
// of the start date — what the indicators count (types × statuses over a unit's subtree, month by month), without
// the groups and countries of activity_totals, so it stays a few thousand rows for every unit together.
// app/models/activity-totals.server.ts keeps it with every write; this fills it once, in SQL.
import { type Kysely, sql } from "kysely";

/** Each lead unit with every unit whose rows its activities count in: itself and the units above it. */
const unitsAbove = sql`
    select lead.id as lead_id, u.id as unit_id
      from organizations lead
      join organizations u on lead.path like concat(u.path, '%')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("activity_type_totals")
    .addColumn("organization_id", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("activities", "bigint", (c) => c.notNull())
    .addColumn("people", "bigint", (c) => c.notNull())
    .addColumn("delegations", "bigint", (c) => c.notNull())
    .addColumn("funding_fen", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_type_totals_pk", ["organization_id", "type", "status", "month"])
    .execute();
  const sums = sql`count(*), sum(coalesce(a.participants_count, 0)), sum(coalesce(a.delegations_count, 0)), sum(coalesce(a.funding_cny_fen, 0))`;
  await sql`
    insert into activity_type_totals (organization_id, type, status, month, activities, people, delegations, funding_fen)
    select 0, a.type, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a where a.deleted_at is null
     group by a.type, a.status, substr(a.start_date, 1, 7)`.execute(db);
  await sql`
    insert into activity_type_totals (organization_id, type, status, month, activities, people, delegations, funding_fen)
    select u.unit_id, a.type, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (${unitsAbove}) u on u.lead_id = a.organization_id
     where a.deleted_at is null
     group by u.unit_id, a.type, a.status, substr(a.start_date, 1, 7)`.execute(db);

  await db.deleteFrom("activity_totals").execute();
  await fillTotals(db);

  // a unit's planned activities past their end date (the unit's home, the rating proposals), read from the index
  await db.schema
    .createIndex("activities_org_status_end_idx")
    .on("activities")
    .columns(["organization_id", "status", "end_date", "deleted_at", "id"])
    .execute();
  await sql`ANALYZE activities`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_org_status_end_idx").execute();
  await db.schema.dropTable("activity_type_totals").execute();
  // the totals as the earlier code keeps them: run `npm run db:rebuild-totals` with that code
  await db.deleteFrom("activity_totals").execute();
}

/**
 * The frozen copy of totalsSelect() in app/models/activity-totals.server.ts, as it stood when this ran: every unit's
 * rows (0), the rows of each unit holding the activities led by it or below it, and planned activities by end month.
 */
async function fillTotals(db: Kysely<any>): Promise<void> {
  const groups = sql`
    select a.id as activity_id, '' as grp, 1 as per_unit from activities a where a.deleted_at is null
    union all
    select distinct api.activity_id, concat('n:', cast(node.id as text)), case when node.depth <= 1 then 1 else 0 end
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items node on pi.path like concat(node.path, '%')
    union all
    select distinct api.activity_id, concat('a:', cast(pa.priority_area_id as text)), 1
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items area_item on pi.path like concat(area_item.path, '%')
      join plan_item_priority_areas pa on pa.plan_item_id = area_item.id
    union all
    select distinct api.activity_id, '*', 1
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items area_item on pi.path like concat(area_item.path, '%')
      join plan_item_priority_areas pa on pa.plan_item_id = area_item.id`;
  const countries = sql`
    select a.id as activity_id, '' as country from activities a where a.deleted_at is null
    union all
    select ac.activity_id, ac.country_code from activity_countries ac`;
  const sums = sql`count(*), sum(coalesce(a.participants_count, 0)), sum(coalesce(a.delegations_count, 0)), sum(coalesce(a.funding_cny_fen, 0))`;
  const into = sql`insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)`;
  await sql`
    ${into}
    select 0, c.country, g.grp, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null
     group by c.country, g.grp, a.status, substr(a.start_date, 1, 7)`.execute(db);
  await sql`
    ${into}
    select u.unit_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (${unitsAbove}) u on u.lead_id = a.organization_id
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null and g.per_unit = 1 and (g.grp = '' or c.country = '')
     group by u.unit_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7)`.execute(db);
  await sql`
    ${into}
    select 0, '', g.grp, 'planned-by-end', substr(a.end_date, 1, 7), ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
     where a.deleted_at is null and a.status = 'planned'
     group by g.grp, substr(a.end_date, 1, 7)`.execute(db);
}
