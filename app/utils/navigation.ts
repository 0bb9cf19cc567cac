// The header's navigation, by role: what a role cannot use is not offered, and what it uses every day comes first
// (the rest sits under 更多). One list for the wide header and the phone menu.
import { type Actor, can } from "./permissions";

export interface NavItem {
  to: string;
  /** catalog key of its name */
  label: string;
  /** shown in the header itself; the others are under 更多 (on a phone everything is in the menu) */
  primary: boolean;
  /** active only on this exact path (the activity list, not the pages below it) */
  end?: boolean;
}

/** The pages a user's role works on, in the order the header shows them. */
export function navigationFor(user: Actor): NavItem[] {
  const role = user.role;
  const reports = role === "reporter" || role === "leader";
  const overseer = role === "reviewer" || role === "official";
  const items: (NavItem | false)[] = [
    { to: "/plan", label: "nav.plan", primary: true },
    { to: "/dashboard", label: "dashboard.nav", primary: true },
    { to: "/activities", label: "nav.activities", primary: true, end: true },
    can(user, "activity.create") && { to: "/activities/new", label: "nav.new_activity", primary: true },
    can(user, "activity.import") && { to: "/imports", label: "nav.imports", primary: true },
    { to: "/reports", label: "nav.reports", primary: reports || role === "reviewer" },
    { to: "/monitoring", label: "nav.monitoring", primary: overseer },
    { to: "/evaluation", label: "nav.evaluation", primary: overseer },
    { to: "/indicators", label: "nav.indicators", primary: role === "admin" },
    { to: "/drafts", label: "drafts.nav", primary: false },
    { to: "/counterparts", label: "nav.counterparts", primary: false },
    { to: "/sister-cities", label: "nav.sister_cities", primary: false },
    // the recycle bin is for those who restore what they deleted
    can(user, "activity.restore") && { to: "/trash", label: "nav.trash", primary: false },
    can(user, "period.manage") && { to: "/admin/periods", label: "nav.periods", primary: true },
    can(user, "user.manage") && { to: "/admin/users", label: "security.users.nav", primary: true },
  ];
  return items.filter((item): item is NavItem => item !== false);
}
