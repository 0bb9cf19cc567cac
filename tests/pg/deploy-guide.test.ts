// The README's "Deployment on PostgreSQL", followed literally on the throwaway cluster, as an operations engineer
// would: a role of its own with a password full of URL characters (percent-encoded in DATABASE_URL), a database
// it owns with the C.UTF-8 locale, migrate + seed + the first administrator from a release machine in production
// mode without SESSION_SECRET, an instance started with it, ready, the administrator signing in with the one-time
// password; then a nightly dump restored into an empty database as the README says, and an instance on it.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startServer } from "../../bench/server";
import { adminQuery, databaseUrl, dropDatabase } from "./databases";

const run = promisify(execFile);
const adminUrl = process.env.LMC_PG_ADMIN_URL!;
const bindir = readdirSync("/usr/lib/postgresql").sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`)[0]!;
const admin = new URL(adminUrl);
const connection = ["-h", admin.hostname, "-p", admin.port || "5432", "-U", decodeURIComponent(admin.username || "postgres")];

const ROLE = "lmc_deploy";
const PASSWORD = "p@ss/w#rd:1?";
const DB = "lmc_deploy";
const RESTORED = "lmc_deploy_restored";
/** The README's DATABASE_URL, its password percent-encoded. */
const urlOf = (database: string) => {
  const u = new URL(databaseUrl(adminUrl, database));
  u.username = ROLE;
  u.password = encodeURIComponent(PASSWORD);
  return u.toString();
};
const appEnv = (database: string, extra: Record<string, string | undefined> = {}) =>
  ({ ...process.env, NODE_ENV: "production", DATABASE_URL: urlOf(database), DATABASE_PATH: undefined, SESSION_SECRET: undefined, ...extra }) as NodeJS.ProcessEnv;
const npmRun = (script: string, database: string, args: string[] = []) =>
  run("npm", ["run", "-s", script, ...(args.length ? ["--", ...args] : [])], { env: appEnv(database) });

beforeAll(async () => {
  // as the postgres user, per the README
  await run(`${bindir}/createuser`, [...connection, ROLE]);
  await adminQuery(adminUrl, `ALTER ROLE ${ROLE} PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
  await run(`${bindir}/createdb`, [...connection, `--owner=${ROLE}`, "--locale=C.UTF-8", "--template=template0", DB]);
}, 60_000);

afterAll(async () => {
  for (const database of [DB, RESTORED]) await dropDatabase(adminUrl, database).catch(() => undefined);
  await adminQuery(adminUrl, `DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
});

test("release machine: migrate, seed, first administrator — in production mode, without SESSION_SECRET", async () => {
  expect((await npmRun("db:migrate", DB)).stdout).toContain("migrated:");
  const seeded = await npmRun("db:seed", DB);
  expect(seeded.stdout).toContain("no demo users");
  const created = await npmRun("user:create-admin", DB);
  const password = /one-time password: (\S+)/.exec(created.stdout)![1]!;

  // an instance, with the shared secret, ready, and the administrator in at once — straight to a new password
  const server = await startServer({ env: { DATABASE_URL: urlOf(DB), DATABASE_PATH: undefined, SESSION_SECRET: "d".repeat(40) }, startTimeoutMs: 60_000 });
  try {
    expect((await fetch(`${server.baseURL}/readyz`)).status).toBe(200);
    const body = new URLSearchParams({ username: "admin", password });
    const signIn = await fetch(`${server.baseURL}/login`, { method: "POST", body, redirect: "manual", headers: { Origin: server.baseURL } });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("Location")).toBe("/account/password");
    // no published password opens it
    const demo = await fetch(`${server.baseURL}/login`, { method: "POST", body: new URLSearchParams({ username: "admin", password: "lancang2026" }), redirect: "manual", headers: { Origin: server.baseURL } });
    expect(demo.status).toBe(401);
  } finally {
    await server.stop();
  }
}, 180_000);

test("an instance refuses to start in production on PostgreSQL without SESSION_SECRET, and says why", async () => {
  await expect(startServer({ env: { DATABASE_URL: urlOf(DB), DATABASE_PATH: undefined, SESSION_SECRET: undefined } })).rejects.toThrow(/SESSION_SECRET/);
}, 60_000);

test("backup and restore as the README says: pg_dump -Fc, then pg_restore into an empty database owned by the role", async () => {
  const dump = `${process.env.TMPDIR ?? "/tmp"}/lmc-deploy-${process.pid}.dump`;
  await run(`${bindir}/pg_dump`, ["-Fc", "-f", dump, urlOf(DB)]);
  await run(`${bindir}/createdb`, [...connection, `--owner=${ROLE}`, "--locale=C.UTF-8", "--template=template0", RESTORED]);
  await run(`${bindir}/pg_restore`, ["--no-owner", `--role=${ROLE}`, "--exit-on-error", "-d", urlOf(RESTORED), dump]);
  const server = await startServer({ env: { DATABASE_URL: urlOf(RESTORED), DATABASE_PATH: undefined, SESSION_SECRET: "d".repeat(40) }, startTimeoutMs: 60_000 });
  try {
    expect((await fetch(`${server.baseURL}/readyz`)).status).toBe(200);
  } finally {
    await server.stop();
  }
}, 180_000);
