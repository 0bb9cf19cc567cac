// Pulling the plug: the server is killed with SIGKILL (no shutdown, no flush) in the middle of a large import
// and in the middle of a report approval, at several moments. Afterwards the file passes PRAGMA integrity_check,
// the server starts on it again, and the operation is either wholly done or not at all: all 10,000 imported
// activities with their history and the upload marked imported, or none of them and the upload still waiting;
// the report approved with its snapshot and its activities frozen, or still submitted with no snapshot and its
// activities editable.
//
// One moment is chosen by watching the database: the kill comes as soon as the write-ahead log has grown by
// 256 KB since the request was sent, i.e. while the transaction is spilling uncommitted pages to the log (the
// control run shows that the whole write is many times larger), so that run must end with nothing written.
// The other moments are fractions of the time the same operation took uninterrupted.
import { existsSync, statSync } from "node:fs";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";
import {
  type RunningServer,
  activityForm,
  checkpoint,
  copyDatabase,
  count,
  currentVersion,
  inspect,
  integrityCheck,
  request,
  seededDatabase,
  signIn,
  startServer,
  tempDir,
  unitIdOf,
} from "./fixtures";

const temp = tempDir("kill");
const WAL_TRIGGER_BYTES = 256 * 1024;
afterAll(() => temp.remove());

const walSize = (path: string) => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

interface Kill {
  label: string;
  /** resolves when it is time to pull the plug */
  when: (dbPath: string, walBefore: number) => Promise<void>;
  mustBeUndone?: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function afterWalGrowth(bytes: number, giveUpMs = 30_000): Kill["when"] {
  return async (dbPath, walBefore) => {
    const deadline = Date.now() + giveUpMs;
    while (walSize(dbPath) - walBefore < bytes && Date.now() < deadline) await sleep(2);
  };
}

/**
 * Runs one operation against a copy of the template and kills the server when `kill.when` says; returns the
 * copy's path. Without a kill (`null`) waits for the answer and returns its duration too.
 */
async function runAndMaybeKill(
  template: string,
  name: string,
  send: (server: RunningServer) => Promise<{ status: number; location: string | null }>,
  kill: Kill | null,
): Promise<{ dbPath: string; ms: number; status: number | null; walGrowth: number }> {
  const dbPath = copyDatabase(template, `${temp.dir}/${name}.db`);
  const server = await startServer({ env: { DATABASE_PATH: dbPath } });
  const walBefore = walSize(dbPath);
  const started = performance.now();
  const answer = send(server).then(
    (a) => a.status,
    () => null,
  );
  if (kill) {
    await Promise.race([kill.when(dbPath, walBefore), answer]);
    server.child.kill("SIGKILL");
  }
  const status = await answer;
  const ms = performance.now() - started;
  const walGrowth = walSize(dbPath) - walBefore;
  await server.stop("SIGKILL");
  return { dbPath, ms, status, walGrowth };
}

describe("SIGKILL in the middle of an import of 10,000 rows", () => {
  const ROWS = 10_000;
  const template = `${temp.dir}/import-template.db`;
  let cookie = "";
  let uploadId = 0;
  let controlMs = 0;

  beforeAll(async () => {
    await seededDatabase(template, { demo: false, demoUsers: true });
    const server = await startServer({ env: { DATABASE_PATH: template } });
    try {
      cookie = await signIn(server.baseURL, "xsbn");
      const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units: ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"], seed: "断电" }));
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(file)]), "kill.xlsx");
      const uploaded = await request(server.baseURL, "/imports", cookie, { body: form, timeoutMs: 120_000 });
      uploadId = Number(/upload=(\d+)/.exec(uploaded.location ?? "")?.[1]);
      expect(uploaded.status, uploaded.body.slice(0, 300)).toBe(302);
      expect(uploadId).toBeGreaterThan(0);
      // the upload answers at once; the preview is ready when its worker thread has read and checked the file
      // (a plain loop: expect.poll belongs inside a test, not in beforeAll)
      const until = Date.now() + 120_000;
      while (!(await request(server.baseURL, `/imports?upload=${uploadId}`, cookie)).body.includes('id="preview-title"')) {
        if (Date.now() > until) throw new Error(`upload ${uploadId} was not ready to preview within 120 s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await server.stop();
    }
    checkpoint(template);
  });

  const confirm = (server: RunningServer) =>
    request(server.baseURL, "/imports", cookie, { body: new URLSearchParams({ upload_id: String(uploadId), mode: "all" }), timeoutMs: 120_000 });

  const state = (dbPath: string) => ({
    integrity: integrityCheck(dbPath),
    // rows an import staged before it was killed are seen by nobody (and removed by the next import): not written
    activities: count(dbPath, "SELECT count(*) n FROM activities WHERE title LIKE '断电活动%' AND import_pending IS NULL"),
    links: count(dbPath, "SELECT count(*) n FROM activity_plan_items WHERE activity_id IN (SELECT id FROM activities WHERE title LIKE '断电活动%' AND import_pending IS NULL)"),
    // so are the history entries written with them (an activity's history shows only on its page)
    history: count(
      dbPath,
      "SELECT count(*) n FROM audit_log a JOIN activities x ON x.id = a.entity_id WHERE a.entity_type = 'activity' AND a.action = 'activity.import' AND x.import_pending IS NULL",
    ),
    upload: inspect(dbPath, (s) => (s.prepare("SELECT status FROM activity_imports WHERE id = ?").get(uploadId) as { status: string }).status),
  });
  const done = { integrity: "ok", activities: ROWS, history: ROWS, upload: "imported" };
  const undone = { integrity: "ok", activities: 0, links: 0, history: 0, upload: "previewed" };

  test("uninterrupted, the import writes all rows (the control, and how long it takes)", async () => {
    const run = await runAndMaybeKill(template, "import-control", confirm, null);
    controlMs = run.ms;
    console.log(`import of ${ROWS} rows uninterrupted: ${run.ms.toFixed(0)} ms, the log grew by ${(run.walGrowth / 1e6).toFixed(1)} MB`);
    expect(run.status).toBe(302);
    expect(state(run.dbPath)).toMatchObject(done);
    expect(run.walGrowth).toBeGreaterThan(4 * WAL_TRIGGER_BYTES);
  });

  const kills: Kill[] = [
    { label: "while the transaction spills to the log", when: afterWalGrowth(WAL_TRIGGER_BYTES), mustBeUndone: true },
    { label: "at 30% of the import's time", when: () => sleep(controlMs * 0.3) },
    { label: "at 70% of the import's time", when: () => sleep(controlMs * 0.7) },
  ];
  for (const [i, kill] of kills.entries()) {
    test(`killed ${kill.label}: all rows or none, and the file is sound`, async () => {
      const run = await runAndMaybeKill(template, `import-kill-${i}`, confirm, kill);
      const after = state(run.dbPath);
      console.log(`import killed ${kill.label} (${run.ms.toFixed(0)} ms in): ${after.activities} of ${ROWS} rows, upload ${after.upload}, integrity ${after.integrity}`);
      expect(after).toMatchObject(after.activities === 0 ? undone : done);
      if (kill.mustBeUndone) expect(after.activities).toBe(0);
      // the server comes back on the file; after the first kill, the import that did not happen is made now, once
      const server = await startServer({ env: { DATABASE_PATH: run.dbPath } });
      try {
        if (i === 0) expect((await confirm(server)).status).toBe(302);
      } finally {
        await server.stop();
      }
      if (i === 0) {
        expect(state(run.dbPath)).toMatchObject(done);
        // what the killed import had staged, history entries included, was removed by this one
        expect(count(run.dbPath, "SELECT count(*) n FROM audit_log WHERE action = 'activity.import'")).toBe(ROWS);
        expect(count(run.dbPath, "SELECT count(*) n FROM activities WHERE import_pending IS NOT NULL")).toBe(0);
      }
    });
  }
});

describe("SIGKILL in the middle of a report approval", () => {
  const ACTIVITIES = 20_000;
  const template = `${temp.dir}/approval-template.db`;
  let reviewer = "";
  let reporter = "";
  let unit = 0;
  let sample = 0;
  let controlMs = 0;

  beforeAll(async () => {
    await seededDatabase(template, { demo: false, demoUsers: true });
    unit = unitIdOf(template, "yn-xsbn");
    // a unit with a busy half-year: 20,000 activities for the report to freeze in its snapshot
    const sqlite = new SQLite(template);
    const user = (sqlite.prepare("SELECT id FROM users WHERE username = 'xsbn'").get() as { id: number }).id;
    const item = (sqlite.prepare("SELECT id FROM plan_items WHERE code = '4.2.5'").get() as { id: number }).id;
    const insert = sqlite.prepare(
      `INSERT INTO activities (organization_id, title, type, start_date, end_date, status, counterpart_body, location, funding_source,
         outcome, version, created_by, updated_by, created_at, updated_at)
       VALUES (?, ?, 'meeting', ?, ?, 'completed', '老挝南塔省外事办公室', '景洪市', '', '形成会议纪要。', 1, ?, ?, ?, ?)`,
    );
    const link = sqlite.prepare("INSERT INTO activity_plan_items (activity_id, plan_item_id, is_primary) VALUES (?, ?, 1)");
    const country = sqlite.prepare("INSERT INTO activity_countries (activity_id, country_code) VALUES (?, 'LA')");
    sqlite.transaction(() => {
      for (let i = 0; i < ACTIVITIES; i++) {
        const day = `2025-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, "0")}`;
        const id = Number(insert.run(unit, `审核断电 ${i + 1}`, day, day, user, user, `${day}T08:00:00.000Z`, `${day}T08:00:00.000Z`).lastInsertRowid);
        link.run(id, item);
        country.run(id);
      }
    })();
    sample = (sqlite.prepare("SELECT id FROM activities WHERE title = '审核断电 1'").get() as { id: number }).id;
    sqlite.close();

    const server = await startServer({ env: { DATABASE_PATH: template } });
    try {
      const leader = await signIn(server.baseURL, "xsbn_leader");
      const submitted = await request(server.baseURL, `/reports/${unit}/2025-H1`, leader, { body: new URLSearchParams({ intent: "submit", confirm: "yes", version: "0", item_ids: String(item), [`progress_${item}`]: "召开边境会晤会议，形成会议纪要。" }) });
      expect(submitted.status, submitted.body.slice(0, 300)).toBe(302);
      reviewer = await signIn(server.baseURL, "reviewer");
      reporter = await signIn(server.baseURL, "xsbn");
    } finally {
      await server.stop();
    }
    checkpoint(template);
  });

  const approve = (server: RunningServer) =>
    request(server.baseURL, `/reports/${unit}/2025-H1`, reviewer, { body: new URLSearchParams({ intent: "approve", confirm: "yes" }), timeoutMs: 120_000 });

  const state = (dbPath: string) => {
    const report = inspect(dbPath, (s) => s.prepare("SELECT id, status, version FROM period_reports WHERE organization_id = ?").get(unit) as { id: number; status: string; version: number });
    const snapshots = inspect(dbPath, (s) => s.prepare("SELECT snapshot_json FROM report_snapshots WHERE report_id = ?").all(report.id) as { snapshot_json: string }[]);
    return {
      integrity: integrityCheck(dbPath),
      status: report.status,
      version: report.version,
      snapshots: snapshots.length,
      snapshotActivities: snapshots.length ? (JSON.parse(snapshots[0]!.snapshot_json) as { activities: unknown[] }).activities.length : 0,
      approvals: count(dbPath, "SELECT count(*) n FROM audit_log WHERE action = 'report.approve' AND entity_id = ?", report.id),
    };
  };
  let submittedVersion = 0;
  const done = () => ({ integrity: "ok", status: "approved", version: submittedVersion + 1, snapshots: 1, snapshotActivities: ACTIVITIES, approvals: 1 });
  const undone = () => ({ integrity: "ok", status: "submitted", version: submittedVersion, snapshots: 0, snapshotActivities: 0, approvals: 0 });

  /** Whether an activity of the period can still be edited: 409 (frozen) after an approval, 302 before. */
  async function editStatus(dbPath: string): Promise<number> {
    const server = await startServer({ env: { DATABASE_PATH: dbPath } });
    try {
      const version = await currentVersion(server.baseURL, reporter, sample);
      const answer = await request(server.baseURL, `/activities/${sample}/edit`, reporter, {
        body: activityForm(unit, { title: "审核断电 1（修改）", start: "2025-01-01", version: version ?? 1 }),
      });
      return answer.status;
    } finally {
      await server.stop();
    }
  }

  test("uninterrupted, the approval freezes the report (the control, and how long it takes)", async () => {
    submittedVersion = state(template).version;
    expect(state(template).status).toBe("submitted");
    const run = await runAndMaybeKill(template, "approve-control", approve, null);
    controlMs = run.ms;
    console.log(`approval of a report over ${ACTIVITIES} activities uninterrupted: ${run.ms.toFixed(0)} ms, the log grew by ${(run.walGrowth / 1e6).toFixed(1)} MB`);
    expect(run.status).toBe(302);
    expect(state(run.dbPath)).toEqual(done());
    expect(run.walGrowth).toBeGreaterThan(4 * WAL_TRIGGER_BYTES);
    expect(await editStatus(run.dbPath)).toBe(409);
  });

  const kills: Kill[] = [
    { label: "while the transaction spills to the log", when: afterWalGrowth(WAL_TRIGGER_BYTES), mustBeUndone: true },
    { label: "at 40% of the approval's time", when: () => sleep(controlMs * 0.4) },
    { label: "at 80% of the approval's time", when: () => sleep(controlMs * 0.8) },
  ];
  for (const [i, kill] of kills.entries()) {
    test(`killed ${kill.label}: approved with its snapshot and frozen, or still submitted with nothing written`, async () => {
      const run = await runAndMaybeKill(template, `approve-kill-${i}`, approve, kill);
      const after = state(run.dbPath);
      console.log(`approval killed ${kill.label} (${run.ms.toFixed(0)} ms in): report ${after.status}, ${after.snapshots} snapshot(s), integrity ${after.integrity}`);
      expect(after).toEqual(after.status === "approved" ? done() : undone());
      if (kill.mustBeUndone) expect(after.status).toBe("submitted");
      expect(await editStatus(run.dbPath)).toBe(after.status === "approved" ? 409 : 302);
    });
  }
});
