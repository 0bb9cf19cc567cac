// Guessing passwords: failures slow down further tries of an account from an address, and of an address, when the
// address is known (our server passes the socket's peer; behind a trusted proxy, TRUST_PROXY=true, its
// X-Forwarded-For); where no address is known, of the account. An invented X-Forwarded-For header counts for
// nothing. Each attempt is recorded before its password is checked, so parallel guesses cannot race the count.
import { afterEach, describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { call, makeRequest } from "../helpers";

const attempt = (username: string, password: string, ip: string) =>
  call(login.action, "/login", { form: { username, password }, headers: { "X-Forwarded-For": ip } });

/** A sign-in as our server hands it to Remix: the socket's peer address in the load context. */
async function fromPeer(username: string, password: string, peer: string): Promise<Response> {
  const request = makeRequest("/login", { form: { username, password } });
  try {
    return (await login.action({ request, params: {}, context: { clientAddress: peer } })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

afterEach(async () => {
  env.TRUST_PROXY = "false";
  await db.deleteFrom("login_attempts").execute();
});

describe("sign-in throttle", () => {
  it("per account: after 3 failures the account waits, whichever address the tries come from", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt("xsbn", "wrong-guess", `10.9.0.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const right = await attempt("xsbn", "lancang2026", "10.9.0.200");
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // another account is not affected
    expect((await attempt("kunming", "lancang2026", "10.9.0.1")).status).toBe(302);
  });

  it("per address, behind a trusted proxy: one address guessing many accounts is slowed down after 10", async () => {
    env.TRUST_PROXY = "true";
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt(`guess-${i}`, "wrong-guess", "203.0.113.7")).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // even the right password of a fresh account waits, from that address …
    expect((await attempt("xsbn_leader", "lancang2026", "203.0.113.7")).status).toBe(429);
    // … while another address signs in at once
    expect((await attempt("xsbn_leader", "lancang2026", "203.0.113.8")).status).toBe(302);
    const keys = (await db.selectFrom("login_attempts").select("key").distinct().execute()).map((r) => r.key);
    expect(keys).toContain("ip:203.0.113.7");
  });

  it("per address is off without TRUST_PROXY: an invented X-Forwarded-For neither counts nor locks anyone out", async () => {
    for (const username of ["reviewer", "official", "admin", "kunming_leader"]) await attempt(username, "wrong-guess", "203.0.113.9");
    expect((await attempt("xsbn_leader", "lancang2026", "203.0.113.9")).status).toBe(302);
    const keys = (await db.selectFrom("login_attempts").select("key").distinct().execute()).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith("ip:"))).toEqual([]);
  });

  it("keeps the owner in at their own address, however many guesses come from elsewhere", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fromPeer("xsbn", "wrong-guess", `198.51.100.${i}`)).status);
    expect(statuses).toEqual(Array(8).fill(401));
    expect((await fromPeer("xsbn", "lancang2026", "192.0.2.10")).status).toBe(302);
    // one address guessing one account waits after 3, with Retry-After
    const same: Response[] = [];
    for (let i = 0; i < 4; i++) same.push(await fromPeer("official", "wrong-guess", "198.51.100.77"));
    expect(same.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(Number(same[3]!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // an invented X-Forwarded-For does not move the count to another key
    const forged = call(login.action, "/login", { form: { username: "official", password: "wrong-guess" }, headers: { "X-Forwarded-For": "10.1.1.1" } });
    expect((await forged).status).toBe(401); // no address known here: the account alone, which had no failures
  });

  it("cannot be raced: 40 guesses at once are checked at most 3 at a time, and the right one sent last does not get in", async () => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fromPeer("reviewer", i === 39 ? "lancang2026" : `wrong-${i}`, "198.51.100.200")),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(36);
    expect(statuses[39]).toBe(429);
    expect(statuses).not.toContain(302);
  });

  it("leaves a trail: failures and held-back tries in the audit log, with the address", async () => {
    await fromPeer("admin", "wrong-guess", "198.51.100.90");
    for (let i = 0; i < 3; i++) await fromPeer("admin", "wrong-guess", "198.51.100.90");
    const trail = await db
      .selectFrom("audit_log")
      .select(["action", "changes_json"])
      .where("action", "in", ["auth.sign_in_failed", "auth.throttled"])
      .where("changes_json", "like", '%198.51.100.90%')
      .orderBy("id")
      .execute();
    expect(trail.map((t) => t.action)).toEqual(["auth.sign_in_failed", "auth.sign_in_failed", "auth.sign_in_failed", "auth.throttled"]);
    expect(JSON.parse(trail[0]!.changes_json)).toEqual({ username: "admin", address: "198.51.100.90" });
  });

  it("counts a wrong password for a disabled or unknown account like any other, with the same answer", async () => {
    const unknown = await attempt("no-such-user", "whatever-it-is", "10.9.1.1");
    const wrong = await attempt("official", "whatever-it-is", "10.9.1.1");
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });
});
