// Plan items and units named the forgiving way, matched against the database's lists once per upload.
import { listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { nameKey } from "~/domain/values";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

// Plan items: "4.2.5", "4.2.5 农业", "第4.2.5条", or a title in either language; loosely (a unique part of a
// title) with a warning.
interface PlanEntry {
  id: number;
  code: string;
  title_zh: string;
  title_en: string;
  loggable: number;
}
type PlanMatch = { item: PlanEntry; loose?: boolean } | { ambiguous: PlanEntry[] } | { unknownCode: string };

class PlanMatcher {
  private byCode = new Map<string, PlanEntry>();
  private byTitle = new Map<string, PlanEntry[]>();
  constructor(private items: PlanEntry[]) {
    for (const item of items) {
      this.byCode.set(item.code, item);
      for (const title of [item.title_zh, item.title_en]) {
        const key = nameKey(title);
        this.byTitle.set(key, [...(this.byTitle.get(key) ?? []), item]);
      }
    }
  }
  /** strict: a code (with its own title, if any) or a whole title. */
  strict(text: string): PlanEntry | null {
    const t = text.normalize("NFKC").trim().replace(/^第/, "").replace(/[条款项]$/, "").trim();
    const m = /^(\d+(?:\.\d+){0,3})\.?\s*(.*)$/s.exec(t);
    if (m) {
      const item = this.byCode.get(m[1]!);
      if (!item) return null;
      const rest = nameKey(m[2]!);
      if (rest === "" || rest === nameKey(item.title_zh) || rest === nameKey(item.title_en)) return item;
      return null;
    }
    const found = this.byTitle.get(nameKey(t)) ?? [];
    return found.length === 1 ? found[0]! : null;
  }
  loose(text: string): PlanMatch | null {
    const t = text.normalize("NFKC").trim().replace(/^第/, "").replace(/[条款项]$/, "").trim();
    const m = /^(\d+(?:\.\d+){0,3})\.?\s*(.*)$/s.exec(t);
    if (m) {
      const item = this.byCode.get(m[1]!);
      return item ? { item, loose: true } : { unknownCode: m[1]! };
    }
    const key = nameKey(t);
    const exact = this.byTitle.get(key) ?? [];
    if (exact.length > 1) return { ambiguous: exact };
    if (key.length < 2) return null;
    const hits = this.items.filter((item) =>
      [item.title_zh, item.title_en].some((title) => {
        const k = nameKey(title);
        return k.length >= 2 && (k.includes(key) || key.includes(k));
      }),
    );
    if (hits.length === 1) return { item: hits[0]!, loose: true };
    if (hits.length > 1) return { ambiguous: hits };
    return null;
  }
}

// Units: the exact Chinese or English name (or code), or a unique short form — 西双版纳州 for 西双版纳傣族自治州,
// 昆明 for 昆明市, "西双版纳州外办" for the prefecture — with a warning.
const ETHNIC = "彝|哈尼|白|傣|壮|苗|回|傈僳|拉祜|佤|纳西|瑶|藏|景颇|布朗|布依|普米|阿昌|怒|基诺|德昂|蒙古|水|满|独龙";
const AUTONOMOUS = new RegExp(`^(.+?)(?:(?:${ETHNIC})族)+自治(州|县)$`);
const OFFICE_SUFFIX = /(人民政府外事办公室|外事办公室|外事办|外办|人民政府|政府|foreignaffairsoffice|fao)$/;

interface UnitEntry {
  id: number;
  code: string;
  path: string;
  kind: string;
  name_zh: string;
  name_en: string;
}
type UnitMatch = { unit: UnitEntry; loose?: boolean } | { ambiguous: UnitEntry[] } | null;

class UnitMatcher {
  private exact = new Map<string, UnitEntry[]>();
  private short = new Map<string, UnitEntry[]>();
  constructor(units: UnitEntry[]) {
    const add = (map: Map<string, UnitEntry[]>, key: string, unit: UnitEntry) => {
      if (!key) return;
      const list = map.get(key) ?? [];
      if (!list.includes(unit)) map.set(key, [...list, unit]);
    };
    for (const u of units) {
      for (const name of [u.name_zh, u.name_en, u.code]) add(this.exact, nameKey(name), u);
      if (u.kind === "foreign_body") continue;
      const auto = AUTONOMOUS.exec(u.name_zh);
      if (auto) {
        add(this.short, nameKey(auto[1]!), u);
        add(this.short, nameKey(auto[1]! + auto[2]!), u);
      }
      const plain = /^(.{2,})(省|市|县|州|区)$/.exec(u.name_zh);
      if (plain) add(this.short, nameKey(plain[1]!), u);
      const en = /^(.+?)\s+(?:[A-Z][a-z]+(?:,?\s+(?:and\s+)?[A-Z][a-z]+)*\s+)?(?:Autonomous\s+)?(?:Prefecture|County|City|Province)$/.exec(u.name_en);
      if (en) add(this.short, nameKey(en[1]!), u);
    }
  }
  match(text: string): UnitMatch {
    const key = nameKey(text);
    if (!key) return null;
    const exact = this.exact.get(key);
    if (exact?.length === 1) return { unit: exact[0]! };
    if (exact && exact.length > 1) return { ambiguous: exact };
    const trimmed = key.replace(OFFICE_SUFFIX, "");
    for (const k of [trimmed, key]) {
      const again = this.exact.get(k);
      if (again?.length === 1) return { unit: again[0]!, loose: true };
      const short = this.short.get(k);
      if (short?.length === 1) return { unit: short[0]!, loose: true };
      if (short && short.length > 1) return { ambiguous: short };
    }
    return null;
  }
}

export interface MatchContext {
  plan: PlanMatcher;
  units: UnitMatcher;
  user: Pick<SessionUser, "organization_id" | "organization_name_zh" | "organization_name_en">;
  today: string;
}

/** What the matchers are built from: plain lists, so a worker thread can be handed them. */
export interface MatchData {
  plan: PlanEntry[];
  units: UnitEntry[];
  user: MatchContext["user"];
  today: string;
}

export async function loadMatchData(db: DB, user: MatchContext["user"], today = new Date().toISOString().slice(0, 10)): Promise<MatchData> {
  const [plan, units] = await Promise.all([listPlanItems(db), listOrganizations(db)]);
  return { plan, units, user: { organization_id: user.organization_id, organization_name_zh: user.organization_name_zh, organization_name_en: user.organization_name_en }, today };
}

export function buildMatchContext(data: MatchData): MatchContext {
  return { plan: new PlanMatcher(data.plan), units: new UnitMatcher(data.units), user: data.user, today: data.today };
}

export async function loadMatchContext(db: DB, user: SessionUser, today = new Date().toISOString().slice(0, 10)): Promise<MatchContext> {
  return buildMatchContext(await loadMatchData(db, user, today));
}
