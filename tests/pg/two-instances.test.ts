// Two instances of the built app (remix-serve build/index.js, as in production) serving the same PostgreSQL
// database, as behind a load balancer: nothing that matters may live in one instance's memory. A sign-in on one
// is valid on the other, a sign-out on one ends it on both, the sign-in throttle counts failures made on both,
// and two concurrent edits of one activity through the two instances never both win.
// Runs only in the PostgreSQL run (vitest.pg.config.ts); DATABASE_URL names this file's fresh database.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { formBody, validActivityForm } from "../helpers";

const SECRET = "two-instances-shared-secret-0123456789";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Instance {
  process: ChildProcess;
  url: string;
  output: () => string;
}

async function startInstance(env: Record<string, string | undefined>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/@remix-run/serve/dist/cli.js", "build/index.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { process: child, url: `http://127.0.0.1:${port}`, output: () => output };
}

async function waitUntilServing(instance: Instance): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (instance.process.exitCode !== null) throw new Error(`the app exited: ${instance.output()}`);
    try {
      if ((await fetch(`${instance.url}/login`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not start on ${instance.url}: ${instance.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    instance.process.once("exit", () => resolve());
    instance.process.kill("SIGTERM");
  });
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  if (!existsSync("build/index.js")) throw new Error("build/index.js is missing: run `npm run build` first");
  const env = { DATABASE_URL: process.env.DATABASE_URL, SESSION_SECRET: SECRET };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  await Promise.all([waitUntilServing(a), waitUntilServing(b)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([stop(a), stop(b)]);
});

function post(instance: Instance, path: string, fields: Record<string, string | string[]>, cookie?: string) {
  return fetch(`${instance.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: formBody(fields),
    redirect: "manual",
  });
}

function get(instance: Instance, path: string, cookie?: string) {
  return fetch(`${instance.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
}

/** The session cookie ("name=value") set by a successful sign-in. */
async function signIn(instance: Instance, username: string): Promise<string> {
  const response = await post(instance, "/login", { username, password: "lancang2026", redirectTo: "/activities" });
  expect(response.status).toBe(302);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("lmc_session="));
  expect(session).toBeTruthy();
  return session!.split(";")[0]!;
}

describe("two app instances on one PostgreSQL database", () => {
  it("refuses to start in production on PostgreSQL without a shared SESSION_SECRET", async () => {
    const lone = await startInstance({ DATABASE_URL: process.env.DATABASE_URL, SESSION_SECRET: "" });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 30_000);
      lone.process.once("exit", (c) => (clearTimeout(timer), resolve(c)));
    });
    await stop(lone);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(lone.output()).toContain("SESSION_SECRET");
  });

  it("a sign-in on one instance is valid on the other, and a sign-out on either ends it on both", async () => {
    const cookie = await signIn(a, "xsbn");
    const onB = await get(b, "/activities", cookie);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("西双版纳州外办 填报员");
    expect((await get(a, "/activities", cookie)).status).toBe(200);

    const out = await post(b, "/logout", {}, cookie);
    expect(out.status).toBe(302);
    for (const instance of [a, b]) {
      const response = await get(instance, "/activities", cookie);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login/);
    }
  });

  it("counts failed sign-ins made on both instances towards one throttle", async () => {
    // Three failures are free; the fourth try must wait. Each instance sees fewer than three of them.
    for (const instance of [a, b, a]) {
      const response = await post(instance, "/login", { username: "kunming", password: "wrong-password" });
      expect(response.status).toBe(401);
    }
    const throttled = await post(b, "/login", { username: "kunming", password: "lancang2026" });
    expect(throttled.status).toBe(429);
    // The first wait is one second; after it, the right password signs in again.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await post(b, "/login", { username: "kunming", password: "lancang2026" })).status).toBe(302);
  });

  it("lets exactly one of two concurrent edits of the same activity through the two instances win", async () => {
    const cookie = await signIn(a, "xsbn");
    for (let round = 0; round < 5; round++) {
      const created = await post(a, "/activities/new", await validActivityForm("yn-xsbn", { title: `并发编辑测试 ${round}` }), cookie);
      expect(created.status).toBe(302);
      const id = Number(/\/activities\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
      expect(id).toBeGreaterThan(0);

      const edit = async (instance: Instance, title: string) =>
        post(instance, `/activities/${id}/edit`, { ...(await validActivityForm("yn-xsbn", { title })), version: "1" }, cookie);
      const [fromA, fromB] = await Promise.all([edit(a, `经实例A修改 ${round}`), edit(b, `经实例B修改 ${round}`)]);
      const statuses = [fromA.status, fromB.status].sort();
      expect(statuses).toEqual([302, 409]);

      const row = await db.selectFrom("activities").select(["title", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(row.version).toBe(2);
      expect(row.title).toBe(fromA.status === 302 ? `经实例A修改 ${round}` : `经实例B修改 ${round}`);
      const updates = await db
        .selectFrom("audit_log")
        .select("id")
        .where("entity_type", "=", "activity")
        .where("entity_id", "=", id)
        .where("action", "=", "activity.update")
        .execute();
      expect(updates).toHaveLength(1);
    }
  });
});
