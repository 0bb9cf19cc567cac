// `npm run db:backup` on a live database: the server keeps serving and taking writes from several people while
// the copy is made. The copy passes integrity_check, is at the latest migration, holds what was written before
// it, and restoring it as the README says (stop the app, put the copy in place of the file, remove -wal and
// -shm, start) gives a working app: sign in and read an activity written before the backup.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  type RunningServer,
  Tally,
  activityForm,
  checkpoint,
  count,
  inspect,
  integrityCheck,
  request,
  seededDatabase,
  signIn,
  startServer,
  tempDir,
  unitsUnder,
} from "./fixtures";

const run = promisify(execFile);
const temp = tempDir("backup");
const dbPath = `${temp.dir}/live/lmc.db`;
let server: RunningServer | undefined;

beforeAll(async () => {
  await seededDatabase(dbPath);
  // a ledger large enough that the copy takes a while: 30,000 more activities
  const sqlite = new SQLite(dbPath);
  const unit = (sqlite.prepare("SELECT id FROM organizations WHERE code = 'yn-km'").get() as { id: number }).id;
  const insert = sqlite.prepare(
    `INSERT INTO activities (organization_id, title, type, start_date, end_date, status, counterpart_body, location, funding_source,
       outcome, version, created_at, updated_at)
     VALUES (?, ?, 'meeting', '2024-05-06', '2024-05-06', 'completed', '老挝万象市外事办公室', '昆明市', '', ?, 1, '2024-05-06T08:00:00.000Z', '2024-05-06T08:00:00.000Z')`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < 30_000; i++) insert.run(unit, `备份填充 ${i}`, "会谈纪要：".repeat(20));
  })();
  sqlite.close();
  checkpoint(dbPath);
  server = await startServer({ env: { DATABASE_PATH: dbPath } });
});

afterAll(async () => {
  await server?.stop();
  temp.remove();
});

test("a backup taken while people write is consistent, and restoring it brings the app back with the data", async () => {
  const base = server!.baseURL;
  const units = unitsUnder(dbPath, "yn-km");
  const cookie = await signIn(base, "kunming");
  const before = await request(base, "/activities/new", cookie, { body: activityForm(units[0]!, { title: "备份之前记录的活动" }) });
  expect(before.status).toBe(302);
  const beforeId = Number(/\/activities\/(\d+)/.exec(before.location ?? "")?.[1]);

  // writers keep going for the whole backup
  const tally = new Tally();
  const acknowledged: number[] = [];
  let writing = true;
  // each writer signs in first, one after the other, as people do: several sign-ins of one account at the same
  // instant are held back by the throttle (each is counted before its password is checked)
  const sessions: string[] = [];
  for (let n = 0; n < 4; n++) sessions.push(await signIn(base, "kunming"));
  const writer = async (n: number) => {
    const session = sessions[n]!;
    for (let i = 0; writing; i++) {
      try {
        const answer = await request(base, "/activities/new", session, { body: activityForm(units[i % units.length]!, { title: `备份期间 ${n}.${i}` }) });
        tally.add(`write ${n}.${i}`, answer);
        if (answer.status === 302) acknowledged.push(Date.now());
      } catch (error) {
        tally.failed(`write ${n}.${i}`, error);
      }
    }
  };
  const writers = Promise.all([0, 1, 2, 3].map(writer));
  await new Promise((r) => setTimeout(r, 500));

  const started = Date.now();
  const { stdout } = await run(process.execPath, ["--import", "tsx", "db/backup.ts"], { env: { ...process.env, DATABASE_PATH: dbPath } });
  const finished = Date.now();
  await new Promise((r) => setTimeout(r, 300));
  writing = false;
  await writers;

  const backupPath = stdout.trim().split("\n").at(-1)!;
  const during = acknowledged.filter((t) => t >= started && t <= finished).length;
  console.log(`backup ${backupPath} made in ${finished - started} ms (process included) while ${during} writes were acknowledged; ${tally.summary()}`);
  expect(dirname(backupPath)).toBe(join(temp.dir, "live", "backups"));
  expect(backupPath).toMatch(/lmc-\d{8}-\d{6}Z\.db$/);
  expect(existsSync(`${backupPath}-wal`)).toBe(false);
  expect(during).toBeGreaterThan(0);
  expect(tally.serverErrors).toEqual([]);
  expect(tally.networkErrors).toEqual([]);

  // the copy: sound, at the latest migration, with what was written before it and only part of what came after
  expect(integrityCheck(backupPath)).toBe("ok");
  const migrations = readdirSync("db/migrations").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => f.replace(/\.ts$/, ""));
  expect(inspect(backupPath, (s) => (s.prepare("SELECT name FROM kysely_migration ORDER BY name").all() as { name: string }[]).map((r) => r.name))).toEqual(migrations.sort());
  expect(count(backupPath, "SELECT count(*) n FROM activities WHERE id = ?", beforeId)).toBe(1);
  expect(count(backupPath, "SELECT count(*) n FROM activities WHERE title LIKE '备份填充%'")).toBe(30_000);
  const copied = count(backupPath, "SELECT count(*) n FROM activities WHERE title LIKE '备份期间%'");
  const live = count(dbPath, "SELECT count(*) n FROM activities WHERE title LIKE '备份期间%'");
  expect(copied).toBeLessThan(live);
  expect(count(backupPath, "SELECT count(*) n FROM users")).toBe(count(dbPath, "SELECT count(*) n FROM users"));

  // restore as the README says: stop the app, replace the file, remove -wal and -shm, start
  await server!.stop();
  server = undefined;
  copyFileSync(backupPath, dbPath);
  for (const suffix of ["-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });
  server = await startServer({ env: { DATABASE_PATH: dbPath } });
  const restored = await signIn(server.baseURL, "official");
  const page = await request(server.baseURL, `/activities/${beforeId}`, restored);
  expect(page.status).toBe(200);
  expect(page.body).toContain("备份之前记录的活动");
  expect(count(dbPath, "SELECT count(*) n FROM activities WHERE title LIKE '备份期间%'")).toBe(copied);
  // and it takes writes again
  const after = await request(server.baseURL, "/activities/new", await signIn(server.baseURL, "kunming"), { body: activityForm(units[0]!, { title: "恢复之后记录的活动" }) });
  expect(after.status).toBe(302);
});
