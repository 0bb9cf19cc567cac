// The one permission table, read as the README describes the roles; and no role named outside it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../db/schema";
import { type Ability, can } from "./permissions";

const XSBN = "/1/13/";
const MENGLA = "/1/13/20/";
const KUNMING = "/1/2/";
const at = (role: string, path = XSBN) => ({ role, organization_path: path });

describe("who may do what", () => {
  it("gives each ability to the roles the README names, on their own units where it is about a unit", () => {
    const holders = (ability: Ability, target?: string) =>
      ROLES.filter((role) => can(at(role), ability, target ? { organization_path: target } : undefined));
    expect(holders("activity.edit", MENGLA)).toEqual(["reporter"]);
    expect(holders("activity.edit", KUNMING)).toEqual([]);
    expect(holders("activity.import")).toEqual(["reporter"]);
    expect(holders("report.save", XSBN)).toEqual(["reporter", "leader"]);
    expect(holders("report.submit", XSBN)).toEqual(["leader"]);
    expect(holders("report.submit", KUNMING)).toEqual([]);
    expect(holders("report.review", KUNMING)).toEqual(["reviewer"]);
    expect(holders("rating.save")).toEqual(["reviewer"]);
    expect(holders("indicator.define")).toEqual(["admin"]);
    expect(holders("indicator.enter", MENGLA)).toEqual(["reporter", "leader"]);
    expect(holders("ledger.export_all")).toEqual(["reviewer", "official", "admin"]);
    expect(holders("user.manage")).toEqual(["admin"]);
    expect(holders("period.manage")).toEqual(["admin"]);
    expect(holders("counterpart.create")).toEqual(["reporter"]);
    expect(holders("counterpart.edit")).toEqual(["reviewer", "admin"]);
    expect(holders("counterpart.merge")).toEqual(["reviewer", "admin"]);
    expect(holders("sister_city.manage")).toEqual(["reviewer", "admin"]);
    expect(holders("sister_city.manage_own", MENGLA)).toEqual(["reporter"]);
    expect(holders("sister_city.manage_own", KUNMING)).toEqual([]);
  });

  it("is the only place that names a role: no role comparison anywhere else in app/", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") && !path.endsWith("permissions.ts")) files.push(path);
      }
    };
    walk("app");
    const offenders = files.filter((f) => /\.role\s*[!=]==\s*"|includes\(user\.role\)|switch\s*\(user\.role\)/.test(readFileSync(f, "utf8")));
    // account-security checks that the account a command resets is an administrator's: about the account, not the actor
    expect(offenders.filter((f) => !f.endsWith("account-security.server.ts"))).toEqual([]);
  });
});
