// Guessing passwords: failures slow down further tries per account always, and per address only when a trusted
// proxy tells us the address (TRUST_PROXY=true); without one the X-Forwarded-For header is the attacker's to
// invent, so counting by it would let them dodge the count or lock out everyone sharing an invented address.
import { afterEach, describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { call } from "../helpers";

const attempt = (username: string, password: string, ip: string) =>
  call(login.action, "/login", { form: { username, password }, headers: { "X-Forwarded-For": ip } });

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

  it("per address, behind a trusted proxy: one address guessing many accounts is slowed down", async () => {
    env.TRUST_PROXY = "true";
    const statuses: number[] = [];
    for (const username of ["reviewer", "official", "admin", "kunming_leader"]) {
      statuses.push((await attempt(username, "wrong-guess", "203.0.113.7")).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
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

  it("counts a wrong password for a disabled or unknown account like any other, with the same answer", async () => {
    const unknown = await attempt("no-such-user", "whatever-it-is", "10.9.1.1");
    const wrong = await attempt("official", "whatever-it-is", "10.9.1.1");
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });
});
