// What an operations engineer relies on and no other test proved: a backup taken by an older release is migrated
// when the new release starts on it; `npm run db:backup` never overwrites a file; COOKIE_SECURE=true makes the
// session cookie Secure. Real files, the real commands, the built server.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { promisify } from "node:util";
import { Migrator } from "kysely";
import { afterAll, expect, test } from "vitest";
import { createDatabase } from "~/utils/db.server";
import { DirectoryMigrationProvider, migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { DEMO_PASSWORD, startServer, tempDir } from "./fixtures";

const run = promisify(execFile);
const temp = tempDir("restore");
afterAll(() => temp.remove());

/** The migration the release before this work ended at. */
const OLDER_RELEASE = "2026-11-22T1520-dashboard-index";

test("a backup from an older release is migrated by the newer one, its data kept, and signs in", async () => {
  const path = `${temp.dir}/older.db`;
  const older = createDatabase(path);
  const migrator = new Migrator({ db: older, provider: new DirectoryMigrationProvider() });
  const { error } = await migrator.migrateTo(OLDER_RELEASE);
  expect(error).toBeUndefined();
  // what that release stored: a counterpart country it still allowed, an indicator of the old shape
  await older.insertInto("organizations").values({ code: "yn", parent_id: null, path: "/1/", kind: "province", name_zh: "云南省", name_en: "Yunnan", country_code: "CN", sort_order: 0 }).execute();
  await older.destroy();

  const migrated = await run("node_modules/.bin/tsx", ["db/migrate.ts"], { env: { ...process.env, DATABASE_PATH: path, DATABASE_URL: "" } });
  expect(migrated.stdout).toContain("2026-12-07T1000-country-list");
  const db = createDatabase(path);
  expect(await migrateToLatest(db)).toEqual([]); // nothing left to apply
  await seed(db);
  expect((await db.selectFrom("organizations").select("code").where("code", "=", "yn").execute()).length).toBe(1);
  await db.destroy();

  const server = await startServer({ env: { DATABASE_PATH: path } });
  try {
    const body = new URLSearchParams({ username: "official", password: DEMO_PASSWORD });
    const response = await fetch(`${server.baseURL}/login`, { method: "POST", body, redirect: "manual", headers: { Origin: server.baseURL } });
    expect(response.status).toBe(302);
  } finally {
    await server.stop();
  }
}, 120_000);

test("npm run db:backup refuses to overwrite an existing file", async () => {
  const path = `${temp.dir}/live.db`;
  const db = createDatabase(path);
  await migrateToLatest(db);
  await db.destroy();
  const target = `${temp.dir}/already-there.db`;
  await run("node_modules/.bin/tsx", ["db/backup.ts", target], { env: { ...process.env, DATABASE_PATH: path, DATABASE_URL: "" } });
  const before = statSync(target).mtimeMs;
  const content = readFileSync(target);
  const again = run("node_modules/.bin/tsx", ["db/backup.ts", target], { env: { ...process.env, DATABASE_PATH: path, DATABASE_URL: "" } });
  await expect(again).rejects.toMatchObject({ stderr: expect.stringMatching(/exists already|never overwrites/) });
  expect(statSync(target).mtimeMs).toBe(before);
  expect(readFileSync(target).equals(content)).toBe(true);
  expect(existsSync(`${target}.partial`)).toBe(false);
}, 60_000);

test("COOKIE_SECURE=true sends the session cookie only over TLS (Secure), false does not", async () => {
  const path = `${temp.dir}/cookies.db`;
  const db = createDatabase(path);
  await migrateToLatest(db);
  await seed(db, { demo: false, demoUsers: true });
  await db.destroy();
  for (const secure of ["true", "false"]) {
    const server = await startServer({ env: { DATABASE_PATH: path, COOKIE_SECURE: secure } });
    try {
      const body = new URLSearchParams({ username: "official", password: DEMO_PASSWORD });
      const response = await fetch(`${server.baseURL}/login`, { method: "POST", body, redirect: "manual", headers: { Origin: server.baseURL } });
      expect(response.status).toBe(302);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("lmc_session="))!;
      expect(cookie, secure).toMatch(/HttpOnly/i);
      if (secure === "true") expect(cookie).toMatch(/;\s*Secure/i);
      else expect(cookie).not.toMatch(/;\s*Secure/i);
    } finally {
      await server.stop();
    }
  }
}, 120_000);
