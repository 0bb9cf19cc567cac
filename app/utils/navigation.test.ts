import { describe, expect, it } from "vitest";
import { navigationFor } from "./navigation";
import { can } from "./permissions";

const unit = "/1/13/";
const paths = (role: string, primary?: boolean) =>
  navigationFor({ role, organization_path: unit })
    .filter((item) => primary === undefined || item.primary === primary)
    .map((item) => item.to);

describe("the header's navigation by role", () => {
  it("offers a read-only official nothing to change: no recycle bin, no logging, no import, no administration", () => {
    const official = paths("official");
    for (const page of ["/trash", "/activities/new", "/imports", "/admin/periods", "/admin/users"]) expect(official).not.toContain(page);
    expect(paths("official", true)).toEqual(expect.arrayContaining(["/monitoring", "/evaluation"]));
  });

  it("puts a reporter's daily work in the header and the rest under 更多", () => {
    expect(paths("reporter", true)).toEqual(["/plan", "/dashboard", "/activities", "/activities/new", "/imports", "/reports"]);
    expect(paths("reporter", false)).toContain("/trash");
  });

  it("never offers a page the role's permissions refuse", () => {
    const guarded: Record<string, Parameters<typeof can>[1]> = {
      "/activities/new": "activity.create",
      "/imports": "activity.import",
      "/trash": "activity.restore",
      "/admin/periods": "period.manage",
      "/admin/users": "user.manage",
    };
    for (const role of ["reporter", "leader", "reviewer", "official", "admin"]) {
      for (const page of paths(role)) {
        const ability = guarded[page];
        if (ability) expect(can({ role, organization_path: unit }, ability), `${role} ${page}`).toBe(true);
      }
    }
  });
});
