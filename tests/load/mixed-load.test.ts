// A working day compressed into a minute: 50 people signed in at once (reporters of two prefectures, their
// leaders, the reviewer, officials and the administrator, each with their own session) read and filter the
// ledger, open activities, the plan and the dashboard, log new activities and edit them from the version they
// opened, against the built server on a fresh seeded SQLite file. No answer is a 5xx, and afterwards every write
// the server acknowledged is in the database: each activity whose creation redirected to it, with the title and
// version of the last edit that was answered with success. Conflicts (409, someone saved first) are expected
// and counted.
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  type RunningServer,
  Tally,
  activityForm,
  currentVersion,
  inspect,
  integrityCheck,
  request,
  seededDatabase,
  signIn,
  startServer,
  tempDir,
  unitIdOf,
  unitsUnder,
} from "./fixtures";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PEOPLE: [string, number][] = [
  ["xsbn", 16],
  ["kunming", 14],
  ["xsbn_leader", 4],
  ["kunming_leader", 3],
  ["reviewer", 4],
  ["official", 6],
  ["admin", 3],
];

const temp = tempDir("mixed");
const dbPath = `${temp.dir}/mixed.db`;
let server: RunningServer;

beforeAll(async () => {
  await seededDatabase(dbPath);
  server = await startServer({ env: { DATABASE_PATH: dbPath } });
});

afterAll(async () => {
  await server?.stop();
  temp.remove();
});

test(`50 people reading, filtering, logging and editing for ${SECONDS} s: no 5xx, every acknowledged write kept`, async () => {
  const base = server.baseURL;
  const units: Record<string, number[]> = { xsbn: unitsUnder(dbPath, "yn-xsbn"), kunming: unitsUnder(dbPath, "yn-km") };
  const demoIds = inspect(dbPath, (s) => (s.prepare("SELECT id FROM activities ORDER BY id").all() as { id: number }[]).map((r) => r.id));
  const xsbn = unitIdOf(dbPath, "yn-xsbn");
  const kunming = unitIdOf(dbPath, "yn-km");
  const reads = [
    `/activities?unit=${xsbn}&country=LA&q=${encodeURIComponent("农业")}`,
    `/activities?unit=${kunming}&status=completed`,
    "/activities?country=MM&sort=start_desc",
    "/plan",
    "/dashboard",
    "/reports",
  ];

  const tally = new Tally();
  // per reporter account: the activities its sessions made (all sessions of one account edit the same pool,
  // so two of them sometimes save the same activity at once)
  const pools: Record<string, number[]> = { xsbn: [], kunming: [] };
  const created = new Map<number, string>();
  const lastEdit = new Map<number, { version: number; title: string }>();
  let creates = 0;
  let edits = 0;
  let conflicts = 0;
  // an edit answered otherwise than saved or stale (409): a valid form refused is a bug, not a conflict
  const refusedEdits: string[] = [];

  const sessions: { username: string; cookie: string; n: number }[] = [];
  for (const [username, n] of PEOPLE) for (let i = 0; i < n; i++) sessions.push({ username, cookie: await signIn(base, username), n: sessions.length });
  expect(sessions).toHaveLength(50);

  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  const person = async ({ username, cookie, n }: (typeof sessions)[number]) => {
    const writer = Object.hasOwn(units, username);
    for (let i = 0; Date.now() < deadline; i++) {
      const label = `${username}#${n}.${i}`;
      const roll = (n * 7 + i * 13) % 20;
      try {
        if (writer && roll < 5) {
          const title = `负载测试 ${label}`;
          const answer = await request(base, "/activities/new", cookie, { body: activityForm(units[username]![i % units[username]!.length]!, { title }) });
          tally.add(`create ${label}`, answer);
          const id = Number(/^\/activities\/(\d+)\?notice=created$/.exec(answer.location ?? "")?.[1]);
          if (answer.status === 302 && id) {
            created.set(id, title);
            pools[username]!.push(id);
            creates++;
          }
        } else if (writer && roll < 10 && pools[username]!.length) {
          const pool = pools[username]!;
          const id = pool[(i * 31 + n) % pool.length]!;
          const version = await currentVersion(base, cookie, id);
          tally.add(`open edit ${label}`, { status: version === null ? 599 : 200, location: null, body: "" });
          if (version === null) continue;
          const title = `负载修改 ${label}`;
          const answer = await request(base, `/activities/${id}/edit`, cookie, {
            body: activityForm(units[username]![0]!, { title, version, participants: 10 + (i % 90) }),
          });
          tally.add(`edit ${label}`, answer);
          if (answer.status === 302 && answer.location === `/activities/${id}?notice=saved`) {
            edits++;
            const known = lastEdit.get(id);
            if (!known || known.version < version + 1) lastEdit.set(id, { version: version + 1, title });
          } else if (answer.status === 409) conflicts++;
          else refusedEdits.push(`edit ${label} → ${answer.status}: ${answer.body.slice(0, 200)}`);
        } else if (roll < 14) {
          const id = demoIds[(i * 17 + n) % demoIds.length]!;
          tally.add(`detail ${label}`, await request(base, `/activities/${id}`, cookie));
        } else {
          const path = reads[(i + n) % reads.length]!;
          tally.add(`${path} ${label}`, await request(base, path, cookie));
        }
      } catch (error) {
        tally.failed(label, error);
      }
    }
  };
  await Promise.all(sessions.map(person));
  const seconds = (Date.now() - started) / 1000;

  console.log(
    `mixed load: ${tally.requests} requests in ${seconds.toFixed(1)} s = ${(tally.requests / seconds).toFixed(1)} requests/s ` +
      `(${tally.summary()}); ${creates} created, ${edits} edits acknowledged, ${conflicts} conflicts (409 stale version)`,
  );
  expect(tally.networkErrors.slice(0, 5)).toEqual([]);
  expect(tally.serverErrors.slice(0, 5)).toEqual([]);
  expect(refusedEdits.slice(0, 5)).toEqual([]);
  expect(server.output()).not.toMatch(/database is locked|SQLITE_BUSY/i);
  expect(creates).toBeGreaterThan(50);
  expect(edits).toBeGreaterThan(20);

  const rows = inspect(dbPath, (s) => s.prepare("SELECT id, title, version, deleted_at FROM activities WHERE title LIKE '负载%'").all() as { id: number; title: string; version: number; deleted_at: string | null }[]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  expect(rows).toHaveLength(created.size);
  for (const [id, title] of created) {
    const expected = lastEdit.get(id) ?? { version: 1, title };
    expect({ id, ...byId.get(id) }).toMatchObject({ id, version: expected.version, title: expected.title, deleted_at: null });
  }
  // one history entry per acknowledged change
  const audits = inspect(dbPath, (s) => s.prepare("SELECT count(*) n FROM audit_log WHERE action = 'activity.update' AND entity_type = 'activity' AND entity_id IN (SELECT id FROM activities WHERE title LIKE '负载%')").get() as { n: number });
  expect(audits.n).toBe(edits);
  expect(integrityCheck(dbPath)).toBe("ok");
  // and the health check still answers as a supervisor expects
  const health = await fetch(`${base}/healthz`);
  expect([health.status, await health.text()]).toEqual([200, "ok"]);
});
