// Frozen: new keys of activity_totals (docs/decisions/019-totals-kept-with-the-ledger.md, addendum of 2026-12-07),
// filled from the ledger as it stands:
// - the rows of the units of the tree's top two levels (a province, a prefecture: two ids in the path at most) hold
//   a country and a plan group together (a section or pillar, a priority area, '*' any area), as unit 0's did
//   already: a prefecture's dashboard within one country reads them instead of counting its activities;
// - with a country, 'c:<code>' = its activities that name that other country too, for unit 0 and those units: what
//   a dashboard within one country shows by country.
// Only keys that did not exist before are inserted. The fill is set-based: two small helper tables (each plan item's
// groups, each unit's top-level units above it) built here from the plan and the units, then one INSERT … SELECT …
// GROUP BY per kind of key, and the helper tables dropped. Measured on 1,000,000 generated activities (bench/generate.ts):
// see the addendum. `npm run db:rebuild-totals` recomputes and verifies every key afterwards if wanted.
import { type Kysely, sql } from "kysely";

/** The deepest plan node (0 = section, 1 = pillar) whose group a unit's rows keep, as in 2026-12-11T1000. */
const UNIT_GROUP_DEPTH = 1;
/** The units whose rows hold a country and a group together: at most this many ids in their path. */
const CROSS_UNIT_LEVELS = 2;

export async function up(db: Kysely<any>): Promise<void> {
  const [items, areaLinks, units] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "path", "depth"]).execute(),
    db.selectFrom("plan_item_priority_areas as pa").innerJoin("plan_items as pi", "pi.id", "pa.plan_item_id").select(["pa.priority_area_id as area_id", "pi.path"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
  ]);
  const itemGroups: { plan_item_id: number; grp: string }[] = [];
  for (const item of items as { id: number; path: string; depth: number }[]) {
    const groups = new Set<string>();
    for (const node of items as { id: number; path: string; depth: number }[]) {
      if (item.path.startsWith(node.path) && node.depth <= UNIT_GROUP_DEPTH) groups.add(`n:${node.id}`);
    }
    const areas = new Set((areaLinks as { area_id: number; path: string }[]).filter((a) => item.path.startsWith(a.path)).map((a) => a.area_id));
    for (const area of areas) groups.add(`a:${area}`);
    if (areas.size) groups.add("*");
    for (const grp of groups) itemGroups.push({ plan_item_id: item.id, grp });
  }
  const topUnits: { lead_id: number; unit_id: number }[] = [];
  for (const lead of units as { id: number; path: string }[]) {
    for (const unit of units as { id: number; path: string }[]) {
      if (lead.path.startsWith(unit.path) && unit.path.split("/").filter(Boolean).length <= CROSS_UNIT_LEVELS) topUnits.push({ lead_id: lead.id, unit_id: unit.id });
    }
  }

  await db.schema.createTable("totals_fill_item_groups").addColumn("plan_item_id", "integer", (c) => c.notNull()).addColumn("grp", "text", (c) => c.notNull()).execute();
  await db.schema.createTable("totals_fill_top_units").addColumn("lead_id", "integer", (c) => c.notNull()).addColumn("unit_id", "integer", (c) => c.notNull()).execute();
  for (let i = 0; i < itemGroups.length; i += 400) await db.insertInto("totals_fill_item_groups").values(itemGroups.slice(i, i + 400)).execute();
  for (let i = 0; i < topUnits.length; i += 400) await db.insertInto("totals_fill_top_units").values(topUnits.slice(i, i + 400)).execute();
  await db.schema.createIndex("totals_fill_item_groups_idx").on("totals_fill_item_groups").columns(["plan_item_id", "grp"]).execute();
  await db.schema.createIndex("totals_fill_top_units_idx").on("totals_fill_top_units").columns(["lead_id", "unit_id"]).execute();

  const sums = sql`count(*), sum(coalesce(a.participants_count, 0)), sum(coalesce(a.delegations_count, 0)), sum(coalesce(a.funding_cny_fen, 0))`;
  // a top unit × a country × a group (neither '')
  await sql`
    insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)
    select u.unit_id, ac.country_code, g.grp, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join totals_fill_top_units u on u.lead_id = a.organization_id
      join (select distinct api.activity_id, m.grp
              from activity_plan_items api
              join totals_fill_item_groups m on m.plan_item_id = api.plan_item_id) g on g.activity_id = a.id
      join activity_countries ac on ac.activity_id = a.id
     where a.deleted_at is null
     group by u.unit_id, ac.country_code, g.grp, a.status, substr(a.start_date, 1, 7)`.execute(db);
  // every unit (0) and a top unit × a country × another country it names
  await sql`
    insert into activity_totals (organization_id, country, grp, status, month, activities, people, delegations, funding_fen)
    select u.unit_id, c1.country_code, concat('c:', c2.country_code), a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a
      join (select distinct lead_id, 0 as unit_id from totals_fill_top_units
            union all
            select lead_id, unit_id from totals_fill_top_units) u on u.lead_id = a.organization_id
      join activity_countries c1 on c1.activity_id = a.id
      join activity_countries c2 on c2.activity_id = a.id and c2.country_code <> c1.country_code
     where a.deleted_at is null
     group by u.unit_id, c1.country_code, c2.country_code, a.status, substr(a.start_date, 1, 7)`.execute(db);

  await db.schema.dropTable("totals_fill_item_groups").execute();
  await db.schema.dropTable("totals_fill_top_units").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("activity_totals").where("grp", ">=", "c:").where("grp", "<", "c;").execute();
  // a top unit's rows of a country and a group: what this migration added
  await sql`
    delete from activity_totals
     where organization_id <> 0 and country <> '' and grp <> ''
       and organization_id in (select id from organizations where length(path) - length(replace(path, '/', '')) - 1 <= ${sql.lit(CROSS_UNIT_LEVELS)})`.execute(db);
}
