// Who may do what: the one table of abilities. Pages ask it to show or hide an action (`can`); loaders and actions
// enforce it (`requirePermission` in auth.server.ts). A role named anywhere else is the smell this file removes.
// Plain module (no .server): the same answer on the page and on the server.
import type { Role } from "../../db/schema";

/** Where an ability applies: "own" abilities only to the user's unit and the units below it. */
type Scope = "any" | "own";

const ABILITIES = {
  // the activity ledger: everyone signed in reads; reporters write for their own units
  "activity.create": { roles: ["reporter"], scope: "own" },
  "activity.edit": { roles: ["reporter"], scope: "own" },
  "activity.delete": { roles: ["reporter"], scope: "own" },
  "activity.restore": { roles: ["reporter"], scope: "own" },
  "activity.import": { roles: ["reporter"], scope: "own" },
  // the counterpart register: everyone signed in reads it; a reporter registers a new body with the activity that
  // names it (after confirming it is new); reviewers keep it clean (names, spellings, merging duplicates)
  "counterpart.create": { roles: ["reporter"], scope: "any" },
  "counterpart.edit": { roles: ["reviewer", "admin"], scope: "any" },
  "counterpart.merge": { roles: ["reviewer", "admin"], scope: "any" },
  // the sister-city register: everyone signed in reads it; the secretariat's reviewers and administrators add and
  // advance any unit's relationships, a reporter those of their own unit and the units below it
  // (docs/decisions/015-sister-city-register.md). Ask canManageSisterCity(), which reads both lines.
  "sister_city.manage": { roles: ["reviewer", "admin"], scope: "any" },
  "sister_city.manage_own": { roles: ["reporter"], scope: "own" },
  // the recycle bin shows everyone's deleted activities, except to a reporter, who sees their units'
  // likely duplicates across units: the secretariat merges them into one activity or dismisses them
  "duplicates.resolve": { roles: ["reviewer"], scope: "any" },
  "trash.see_all": { roles: ["leader", "reviewer", "official", "admin"], scope: "any" },
  // period reports: the unit drafts, its leader signs off, the secretariat reviews
  "report.save": { roles: ["reporter", "leader"], scope: "own" },
  "report.submit": { roles: ["leader"], scope: "own" },
  /** the reporter hands the draft (or the fixed returned report) to the unit's leader: 提交审签 */
  "report.handover": { roles: ["reporter"], scope: "own" },
  "report.review": { roles: ["reviewer"], scope: "any" },
  /** 催报: remind every late unit of a period at once (a notice in each unit's inbox) */
  "report.remind": { roles: ["reviewer"], scope: "any" },
  /** a reporter or leader works on their own units' reports; the others look at every unit's */
  "report.own_units": { roles: ["reporter", "leader"], scope: "any" },
  // evaluation and indicators
  "rating.save": { roles: ["reviewer"], scope: "any" },
  "indicator.define": { roles: ["admin"], scope: "any" },
  "indicator.enter": { roles: ["reporter", "leader"], scope: "own" },
  "indicator.see_all_values": { roles: ["admin", "reviewer", "official"], scope: "any" },
  // exports: the province-wide and all-units ledgers
  "ledger.export_all": { roles: ["reviewer", "official", "admin"], scope: "any" },
  // administration
  "period.manage": { roles: ["admin"], scope: "any" },
  "user.manage": { roles: ["admin"], scope: "any" },
} as const satisfies Record<string, { roles: readonly Role[]; scope: Scope }>;

export type Ability = keyof typeof ABILITIES;

export interface Actor {
  role: Role | string;
  organization_path: string;
}

/** Is the unit at `path` the user's own unit or one below it? Paths are "/1/12/40/". */
export function withinUnit(user: Pick<Actor, "organization_path">, organizationPath: string): boolean {
  return organizationPath.startsWith(user.organization_path);
}

/**
 * May the user do this — to this unit's row, for the abilities that are about one unit? An "own" ability asked
 * without a target is asked for the user's own unit.
 */
export function can(user: Actor, ability: Ability, target?: { organization_path: string }): boolean {
  const rule = ABILITIES[ability];
  if (!(rule.roles as readonly string[]).includes(user.role)) return false;
  return rule.scope === "any" || withinUnit(user, target?.organization_path ?? user.organization_path);
}

/** The roles holding an ability, for the few places that filter users by it. */
export function rolesThatCan(ability: Ability): readonly Role[] {
  return ABILITIES[ability].roles;
}

/**
 * May the user add or change sister-city relationships of this unit (or, without one, of some unit)? Reviewers and
 * administrators: any unit; a reporter: their own unit and the units below it.
 */
export function canManageSisterCity(user: Actor, unit?: { organization_path: string }): boolean {
  return can(user, "sister_city.manage") || can(user, "sister_city.manage_own", unit);
}
