// Two server processes on one SQLite file, both taking writes at once (as during a rolling restart, or a second
// instance behind a proxy): every writer waits its turn for the write lock; "database is locked" never reaches a
// user, nor the servers' logs, and every acknowledged write is in the file afterwards.
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  type RunningServer,
  Tally,
  activityForm,
  count,
  currentVersion,
  inspect,
  integrityCheck,
  request,
  seededDatabase,
  signIn,
  startServer,
  tempDir,
  unitsUnder,
} from "./fixtures";

const SECONDS = Number(process.env.LOAD_WRITERS_SECONDS ?? 15);
const CLIENTS_PER_SERVER = 6;

const temp = tempDir("writers");
const dbPath = `${temp.dir}/writers.db`;
let servers: RunningServer[] = [];

beforeAll(async () => {
  await seededDatabase(dbPath);
  servers = await Promise.all([startServer({ env: { DATABASE_PATH: dbPath } }), startServer({ env: { DATABASE_PATH: dbPath } })]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  temp.remove();
});

test("two servers writing to one SQLite file at once: no 5xx, no 'database is locked', every acknowledged write kept", async () => {
  const units = { xsbn: unitsUnder(dbPath, "yn-xsbn"), kunming: unitsUnder(dbPath, "yn-km") };
  const tally = new Tally();
  const created = new Map<number, string>();
  const edited = new Map<number, { version: number; title: string }>();
  let conflicts = 0;
  const deadline = Date.now() + SECONDS * 1000;

  // every client signs in first, one after the other, as people do: several sign-ins of one account at the same
  // instant are held back by the throttle (each is counted before its password is checked)
  const cookies = new Map<string, string>();
  for (const server of servers) {
    for (let n = 0; n < CLIENTS_PER_SERVER; n++) cookies.set(`${servers.indexOf(server)}:${n}`, await signIn(server.baseURL, n % 2 ? "xsbn" : "kunming"));
  }
  const client = async (server: RunningServer, n: number) => {
    const username = n % 2 ? "xsbn" : "kunming";
    const unitIds = units[username];
    const cookie = cookies.get(`${servers.indexOf(server)}:${n}`)!;
    const mine: number[] = [];
    for (let i = 0; Date.now() < deadline; i++) {
      const label = `s${servers.indexOf(server)}c${n}#${i}`;
      try {
        if (i % 2 === 0 || mine.length === 0) {
          const title = `并发写入 ${label}`;
          const answer = await request(server.baseURL, "/activities/new", cookie, { body: activityForm(unitIds[i % unitIds.length]!, { title }) });
          tally.add(`create ${label}`, answer);
          const id = Number(/^\/activities\/(\d+)\?notice=created$/.exec(answer.location ?? "")?.[1]);
          if (answer.status === 302 && id) {
            created.set(id, title);
            mine.push(id);
          }
        } else {
          // edit one of the activities this client made, from the version the edit page shows
          const id = mine[i % mine.length]!;
          const version = await currentVersion(server.baseURL, cookie, id);
          tally.add(`version ${label}`, { status: version === null ? 500 : 200, location: null, body: "" });
          if (version === null) continue;
          const title = `并发修改 ${label}`;
          const answer = await request(server.baseURL, `/activities/${id}/edit`, cookie, {
            body: activityForm(unitIds[0]!, { title, version, participants: 7 + (i % 50) }),
          });
          tally.add(`edit ${label}`, answer);
          if (answer.status === 302) edited.set(id, { version: version + 1, title });
          else if (answer.status === 409) conflicts++;
        }
      } catch (error) {
        tally.failed(label, error);
      }
    }
  };
  await Promise.all(servers.flatMap((server) => Array.from({ length: CLIENTS_PER_SERVER }, (_, n) => client(server, n))));

  console.log(`concurrent writers: ${tally.requests} requests in ${SECONDS} s over 2 servers (${tally.summary()}); ${created.size} created, ${edited.size} edited, ${conflicts} conflicts`);
  for (const server of servers) expect(server.output().match(/.*(database is locked|SQLITE_BUSY).*/gi)?.slice(0, 3) ?? []).toEqual([]);
  expect(tally.networkErrors.slice(0, 5)).toEqual([]);
  expect(tally.serverErrors.slice(0, 5)).toEqual([]);
  expect(created.size).toBeGreaterThan(20);
  expect(edited.size).toBeGreaterThan(5);

  const rows = inspect(dbPath, (s) => s.prepare("SELECT id, title, version FROM activities WHERE title LIKE '并发%'").all() as { id: number; title: string; version: number }[]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [id, title] of created) {
    const row = byId.get(id);
    expect(row, `activity ${id}`).toBeDefined();
    const edit = edited.get(id);
    expect(row).toMatchObject(edit ? { version: edit.version, title: edit.title } : { version: 1, title });
  }
  expect(count(dbPath, "SELECT count(*) n FROM activities WHERE title LIKE '并发%'")).toBe(created.size);
  expect(integrityCheck(dbPath)).toBe("ok");
});
