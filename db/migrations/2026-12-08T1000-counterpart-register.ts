// Frozen: the counterpart register (docs/decisions/014-counterpart-register.md). Foreign bodies get their own table
// (country, level, names in Chinese, English and their own language), other spellings a table of aliases, and an
// activity links to the bodies its 对方机构 text names. The seed's foreign bodies, kept until now as organizations
// of kind "foreign_body" that nothing used, move into the register with their codes; the activities already logged
// are linked to the bodies their text names. The names, the folding and the splitting are copied here (not imported)
// so the migration stays as written when the app's rules change.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

/** The seed's foreign bodies as the register names them: level, name without the country, English without it. */
const MOVED: Record<string, [level: string, zh: string, en: string]> = {
  "la-luang-prabang": ["province", "琅勃拉邦省", "Luang Prabang Province"],
  "la-luang-prabang-city": ["city", "琅勃拉邦市", "Luang Prabang City"],
  "la-champasak": ["province", "占巴塞省", "Champasak Province"],
  "la-luang-namtha": ["province", "南塔省", "Luang Namtha Province"],
  "la-bokeo": ["province", "波乔省", "Bokeo Province"],
  "la-sainyabuli": ["province", "沙耶武里省", "Sainyabuli Province"],
  "la-phongsaly": ["province", "丰沙里省", "Phongsaly Province"],
  "la-vientiane": ["city", "万象市", "Vientiane Capital"],
  "mm-special-region-4": ["district", "第四特区", "Special Region 4 (Mongla), Shan State"],
  "mm-kengtung": ["city", "景栋", "Kengtung, Shan State"],
  "mm-yangon": ["city", "仰光市", "Yangon"],
  "mm-mandalay": ["province", "曼德勒省", "Mandalay Region"],
  "mm-muse": ["city", "木姐", "Muse, Shan State"],
  "mm-lashio": ["city", "腊戍市", "Lashio, Shan State"],
  "kh-siem-reap": ["province", "暹粒省", "Siem Reap Province"],
  "kh-banteay-meanchey": ["province", "班迭棉吉省", "Banteay Meanchey Province"],
  "kh-phnom-penh": ["city", "金边市", "Phnom Penh"],
  "vn-lao-cai": ["province", "老街省", "Lao Cai Province"],
  "vn-ha-giang": ["province", "河江省", "Ha Giang Province"],
  "vn-lai-chau": ["province", "莱州省", "Lai Chau Province"],
  "vn-dien-bien": ["province", "奠边省", "Dien Bien Province"],
  "th-chiang-rai": ["province", "清莱府", "Chiang Rai Province"],
  "kr-uijeongbu": ["city", "京畿道议政府市", "Uijeongbu City, Gyeonggi Province"],
  "my-kuching-south": ["city", "古晋南市", "Kuching South City"],
  "np-pokhara": ["city", "博克拉市", "Pokhara"],
  "ru-dubna": ["city", "杜布纳市", "Dubna"],
  "lk-gampola": ["city", "加姆波勒市", "Gampola"],
  "ch-arosa": ["city", "阿罗萨市", "Arosa"],
};

/** A body added by other means: its level read from how its Chinese name ends. */
function levelOf(nameZh: string): string {
  if (/(村|寨)$/.test(nameZh)) return "village";
  if (/(省|府|州|邦|道)$/.test(nameZh)) return "province";
  if (/(县|区)$/.test(nameZh)) return "district";
  if (/市$/.test(nameZh)) return "city";
  return "organization";
}

/** The app's folding of a name for matching, as it was written when this migration was. */
function key(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/đ/g, "d")
    .replace(/[\p{P}\p{S}\p{Z}\s]/gu, "");
}

/** The names of a 对方机构 text: split at 、,; and slashes, a "等…" tail and bracketed remarks left out. */
function names(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[、,，;；\/／\n\r]+/)) {
    let name = part.replace(/[（(][^）)]*[）)]/g, "").trim();
    const etc = name.indexOf("等");
    if (etc >= 2) name = name.slice(0, etc).trim();
    if (key(name)) out.push(name);
  }
  return out;
}

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("counterparts")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(60)", (c) => c.unique())
    .addColumn("country_code", "varchar(2)", (c) => c.notNull())
    .addColumn("level", "varchar(20)", (c) => c.notNull())
    .addColumn("name_zh", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("name_local", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("merged_into", "integer", (c) => c.references("counterparts.id"))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("counterparts_country_idx").on("counterparts").columns(["country_code", "level"]).execute();

  await db.schema
    .createTable("counterpart_aliases")
    .addColumn("id", "integer", idColumn)
    .addColumn("counterpart_id", "integer", (c) => c.notNull().references("counterparts.id"))
    .addColumn("name", "varchar(300)", (c) => c.notNull())
    .addColumn("name_key", "varchar(300)", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("counterpart_aliases_body_key_idx")
    .on("counterpart_aliases")
    .columns(["counterpart_id", "name_key"])
    .unique()
    .execute();
  await db.schema.createIndex("counterpart_aliases_key_idx").on("counterpart_aliases").column("name_key").execute();

  await db.schema
    .createTable("activity_counterparts")
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("counterpart_id", "integer", (c) => c.notNull().references("counterparts.id"))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_counterparts_pk", ["activity_id", "counterpart_id"])
    .execute();
  // "The activities of a body": its page's timeline and the register's counts.
  await db.schema
    .createIndex("activity_counterparts_body_idx")
    .on("activity_counterparts")
    .columns(["counterpart_id", "activity_id"])
    .execute();

  // The foreign bodies, moved with their codes.
  const now = new Date().toISOString();
  const bodies: { organization: number; keys: string[]; id: number }[] = [];
  const foreign: { id: number; code: string; name_zh: string; name_en: string; country_code: string }[] = await db
    .selectFrom("organizations")
    .select(["id", "code", "name_zh", "name_en", "country_code"])
    .where("kind", "=", "foreign_body")
    .orderBy("sort_order")
    .orderBy("id")
    .execute();
  for (const org of foreign) {
    const [level, zh, en] = MOVED[org.code] ?? [levelOf(org.name_zh), org.name_zh, org.name_en];
    const { id } = await db
      .insertInto("counterparts")
      .values({ code: org.code, country_code: org.country_code, level, name_zh: zh, name_en: en, name_local: "", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    bodies.push({ organization: org.id, keys: [...new Set([org.name_zh, org.name_en, zh, en].map(key).filter(Boolean))], id: Number(id) });
  }

  // A moved organization nothing points at is removed; one something does point at (none is expected) stays.
  for (const body of bodies) {
    const used = await Promise.all([
      db.selectFrom("users").select("id").where("organization_id", "=", body.organization).executeTakeFirst(),
      db.selectFrom("activities").select("id").where("organization_id", "=", body.organization).executeTakeFirst(),
      db.selectFrom("activity_partners").select("id").where("organization_id", "=", body.organization).executeTakeFirst(),
      db.selectFrom("period_reports").select("id").where("organization_id", "=", body.organization).executeTakeFirst(),
      db.selectFrom("indicator_values").select("id").where("organization_id", "=", body.organization).executeTakeFirst(),
      db.selectFrom("organizations").select("id").where("parent_id", "=", body.organization).executeTakeFirst(),
    ]);
    if (used.every((row) => !row)) await db.deleteFrom("organizations").where("id", "=", body.organization).execute();
  }

  // The activities already logged, linked to the bodies their text names (a name two bodies share links none).
  const byKey = new Map<string, number | null>();
  for (const body of bodies) for (const k of body.keys) byKey.set(k, byKey.has(k) && byKey.get(k) !== body.id ? null : body.id);
  if (byKey.size === 0) return;
  let after = 0;
  for (;;) {
    const rows: { id: number; counterpart_body: string }[] = await db
      .selectFrom("activities")
      .select(["id", "counterpart_body"])
      .where("id", ">", after)
      .where("counterpart_body", "<>", "")
      .orderBy("id")
      .limit(500)
      .execute();
    if (!rows.length) return;
    const links: { activity_id: number; counterpart_id: number; sort_order: number }[] = [];
    for (const row of rows) {
      const found: number[] = [];
      for (const name of names(row.counterpart_body)) {
        const id = byKey.get(key(name));
        if (id && !found.includes(id)) found.push(id);
      }
      found.forEach((counterpart_id, sort_order) => links.push({ activity_id: row.id, counterpart_id, sort_order }));
    }
    if (links.length) await db.insertInto("activity_counterparts").values(links).execute();
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // The moved bodies are not put back among the organizations: nothing used them there.
  await db.schema.dropTable("activity_counterparts").execute();
  await db.schema.dropTable("counterpart_aliases").execute();
  await db.schema.dropTable("counterparts").execute();
}
