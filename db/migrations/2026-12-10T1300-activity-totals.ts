// Frozen: the ledger's running totals (docs/decisions/019-totals-kept-with-the-ledger.md), filled from the ledger as
// it stands, and the indexes the activity list's first page and keyset pages read.
//
// activity_totals holds, per key, how many live activities (not in the recycle bin) there are and their people,
// delegations and funding: per unit (organization_id, the lead unit; 0 = every unit), month of the start date,
// status, counterpart country ('' = any) and group ('' = any; 'n:<id>' = linked to a plan node or below it;
// 'a:<id>' = to a priority area's items or below; '*' = to any priority area). An activity counts once in each
// group and country, however many of the group's items it is linked to. The rows of unit 0 hold every group and
// country together; a unit's own rows hold groups (only the plan's top two levels) or countries, not both.
// app/models/activity-totals.server.ts keeps them with every write; this fills them once, in SQL.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("activity_totals")
    .addColumn("organization_id", "integer", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("grp", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("activities", "bigint", (c) => c.notNull())
    .addColumn("people", "bigint", (c) => c.notNull())
    .addColumn("delegations", "bigint", (c) => c.notNull())
    .addColumn("funding_fen", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_totals_pk", ["organization_id", "country", "grp", "status", "month"])
    .execute();
  await fillTotals(db);

  // the list's default order (newest start first) and its keyset pages, over live rows
  await db.schema.createIndex("activities_list_start_idx").on("activities").columns(["deleted_at", "start_date", "id"]).execute();
  await db.schema.createIndex("activities_list_updated_idx").on("activities").columns(["deleted_at", "updated_at", "id"]).execute();
  await sql`ANALYZE activities`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_list_updated_idx").execute();
  await db.schema.dropIndex("activities_list_start_idx").execute();
  await db.schema.dropTable("activity_totals").execute();
}

/** The frozen copy of totalsSelect() in app/models/activity-totals.server.ts, as it stood when this ran. */
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
  await sql`
    insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)
    select 0, c.country, g.grp, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null
     group by c.country, g.grp, a.status, substr(a.start_date, 1, 7)`.execute(db);
  await sql`
    insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)
    select a.organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null and g.per_unit = 1 and (g.grp = '' or c.country = '')
     group by a.organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7)`.execute(db);
}
