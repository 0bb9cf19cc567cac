// No known passwords in production: a deployment's seed has no demo users (their password is published in the
// README), and its first administrator comes from `npm run user:create-admin` with a one-time password that must
// be replaced at the first sign-in. The commands run as an operator runs them: real processes on a real file.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import { createOrResetAdministrator } from "~/services/account-security.server";
import { createDatabase, db } from "~/utils/db.server";
import { verifyPassword } from "~/utils/password.server";
import { DEMO_PASSWORD } from "../../seeds/data/users";
import { wantsDemo } from "../../seeds/seed";
import { call } from "../helpers";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "lmc-first-admin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an npm script's command the way `npm run` does, on its own SQLite file, with the given environment. */
async function command(script: string, databasePath: string, environment: Record<string, string> = {}, args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", DATABASE_PATH: databasePath, SEED_DEMO: "", NODE_ENV: "development", ...environment } as NodeJS.ProcessEnv;
  try {
    const { stdout } = await run("npx", ["tsx", script, ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

async function preparedDatabase(name: string, environment: Record<string, string>) {
  const path = join(dir, name);
  expect((await command("db/migrate.ts", path, environment)).code).toBe(0);
  const seeded = await command("seeds/seed.ts", path, environment);
  expect(seeded.code, seeded.stdout).toBe(0);
  return { path, output: seeded.stdout };
}

async function usersOf(path: string) {
  const file = createDatabase(path);
  try {
    return await file.selectFrom("users").select(["username", "password_hash", "role", "must_change_password"]).execute();
  } finally {
    await file.destroy();
  }
}

describe("demo users only where demo data is wanted", () => {
  it("decides from the environment: never on a production instance or on PostgreSQL unless asked", () => {
    expect(wantsDemo({})).toBe(true);
    expect(wantsDemo({ NODE_ENV: "development" })).toBe(true);
    expect(wantsDemo({ NODE_ENV: "production" })).toBe(false);
    expect(wantsDemo({ DATABASE_URL: "postgres://lmc@db/lmc" })).toBe(false);
    expect(wantsDemo({ NODE_ENV: "production", SEED_DEMO: "true" })).toBe(true);
    expect(wantsDemo({ SEED_DEMO: "false" })).toBe(false);
  });

  it("a production seed has no account at all, so none with the published password, and says how to make one", async () => {
    const { path, output } = await preparedDatabase("production.db", { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) });
    expect(await usersOf(path)).toEqual([]);
    expect(output).toContain("npm run user:create-admin");
    const file = createDatabase(path);
    const activities = await file.selectFrom("activities").select("id").execute();
    const plan = await file.selectFrom("plan_items").select("id").execute();
    await file.destroy();
    expect(activities).toEqual([]);
    expect(plan.length).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it("SEED_DEMO=false seeds no demo users either; the default local seed has them (README's npm start)", async () => {
    expect(await usersOf((await preparedDatabase("no-demo.db", { SEED_DEMO: "false" })).path)).toEqual([]);
    const local = await usersOf((await preparedDatabase("local.db", {})).path);
    expect(local.map((u) => u.username)).toContain("admin");
    expect(await verifyPassword(DEMO_PASSWORD, local.find((u) => u.username === "admin")!.password_hash)).toBe(true);
  }, 60_000);
});

describe("npm run user:create-admin", () => {
  it("creates the first administrator with a one-time password that must be replaced, and refuses to run twice", async () => {
    const { path } = await preparedDatabase("deploy.db", { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) });
    const created = await command("db/create-admin.ts", path);
    expect(created.code, created.stdout).toBe(0);
    const password = /one-time password: (\S+)/.exec(created.stdout)![1]!;
    expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    const [admin] = await usersOf(path);
    expect(admin).toMatchObject({ username: "admin", role: "admin", must_change_password: 1 });
    expect(await verifyPassword(password, admin!.password_hash)).toBe(true);
    expect(await verifyPassword(DEMO_PASSWORD, admin!.password_hash)).toBe(false);

    const again = await command("db/create-admin.ts", path);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("--reset");

    const reset = await command("db/create-admin.ts", path, {}, ["--reset"]);
    expect(reset.code, reset.stdout).toBe(0);
    const newPassword = /one-time password: (\S+)/.exec(reset.stdout)![1]!;
    const [after] = await usersOf(path);
    expect(await verifyPassword(newPassword, after!.password_hash)).toBe(true);
    expect(await verifyPassword(password, after!.password_hash)).toBe(false);

    const file = createDatabase(path);
    const audit = await file.selectFrom("audit_log").select(["action", "user_id"]).where("entity_type", "=", "user").orderBy("id").execute();
    await file.destroy();
    expect(audit).toEqual([
      { action: "user.created", user_id: null },
      { action: "user.password_reset", user_id: null },
    ]);
  }, 60_000);

  it("signs the new administrator in straight to choosing their own password", async () => {
    const result = await createOrResetAdministrator(db, { username: "ops_admin", displayName: "运维管理员", unitCode: "lmc-cn-secretariat", reset: false });
    expect(result.status).toBe("created");
    const password = (result as { password: string }).password;
    const response = await call(login.action, "/login", { form: { username: "ops_admin", password, redirectTo: "/plan" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account/password");
  });

  it("does not turn another user into an administrator", async () => {
    const result = await createOrResetAdministrator(db, { username: "xsbn", displayName: "x", unitCode: "lmc-cn-secretariat", reset: true });
    expect(result.status).toBe("not_admin");
  });
});
