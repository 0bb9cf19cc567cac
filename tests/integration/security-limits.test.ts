// Oversized bodies are refused before anything reads them: 413 with a reason the error page translates, and
// nothing written. Every route gets 1 MB; the spreadsheet import (POST /imports) gets twice its 10 MB file limit,
// so it can still tell the user about a file that is merely too large beside its own form. Bodies that are not
// forms are refused 415. (server.ts applies the same rules before Remix: tests/e2e/front-door.test.ts.)
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as imports from "~/routes/imports._index";
import * as login from "~/routes/login";
import { IMPORT_MAX_BYTES } from "~/schemas/activity-import";
import { FORM_MAX_BYTES, UPLOAD_MAX_BYTES } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { BASE, call, formBody, jsonOf, sessionCookieFor, validActivityForm } from "../helpers";

const activityCount = async () => Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("body size", () => {
  it("refuses a form larger than 1 MB with 413 and writes nothing", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const before = await activityCount();
    const form = formBody(await validActivityForm("yn-xsbn", { outcome: "很".repeat(400_000) }));
    const length = Buffer.byteLength(form.toString());
    expect(length).toBeGreaterThan(FORM_MAX_BYTES);
    const response = await call(newActivity.action, "/activities/new", { cookie, form, headers: { "Content-Length": String(length) } });
    expect(response.status).toBe(413);
    expect(await jsonOf(response)).toEqual({ reason: "too_large", max_mb: 1 });
    expect(await activityCount()).toBe(before);
  });

  it("lets an ordinary form through, with its length declared", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const form = formBody(await validActivityForm("yn-xsbn"));
    const response = await call(newActivity.action, "/activities/new", {
      cookie,
      form,
      headers: { "Content-Length": String(Buffer.byteLength(form.toString())) },
    });
    expect(response.status).toBe(302);
  });

  it("refuses a body whose length is not declared (chunked) with 411, and a nonsense length with 413", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const form = await validActivityForm("yn-xsbn");
    const chunked = await call(newActivity.action, "/activities/new", { cookie, form, headers: { "Transfer-Encoding": "chunked" } });
    expect(chunked.status).toBe(411);
    const nonsense = await call(newActivity.action, "/activities/new", { cookie, form, headers: { "Content-Length": "-1" } });
    expect(nonsense.status).toBe(413);
  });

  it("guards the sign-in form too, which runs without a session", async () => {
    const response = await call(login.action, "/login", {
      form: { username: "xsbn", password: "x".repeat(10) },
      headers: { "Content-Length": String(FORM_MAX_BYTES + 1) },
    });
    expect(response.status).toBe(413);
  });

  it("lets the spreadsheet import take its files, and refuses uploads beyond twice the file limit", async () => {
    expect(UPLOAD_MAX_BYTES).toBe(2 * IMPORT_MAX_BYTES);
    const cookie = await sessionCookieFor("xsbn");
    const multipart = (length: number) => ({
      cookie,
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(length) },
    });
    // 5 MB declared: past the form limit, within the import's; the import itself answers (here: no file in it)
    const within = await call(imports.action, "/imports", multipart(5 * 1024 * 1024));
    expect(within.status).not.toBe(413);
    const over = await call(imports.action, "/imports", multipart(UPLOAD_MAX_BYTES + 1));
    expect(over.status).toBe(413);
    expect(await jsonOf(over)).toEqual({ reason: "too_large", max_mb: 10 });
  });

  it("takes uploads only on the import: 2 MB of multipart anywhere else is refused with 413", async () => {
    const response = await call(login.action, "/login", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(await jsonOf(response)).toEqual({ reason: "too_large", max_mb: 1 });
  });
});

describe("body type", () => {
  // a body as a script would send it, Content-Type and all: the action must answer, not throw a 500
  type Action = (args: ActionFunctionArgs) => Promise<unknown>;
  async function raw(action: Action, path: string, type: string, cookie?: string): Promise<Response> {
    const headers = new Headers({ "Content-Type": type });
    if (cookie) headers.set("Cookie", cookie);
    const request = new Request(new URL(path, BASE), { method: "POST", headers, body: "username=xsbn&password=x" });
    try {
      return (await action({ request, params: {}, context: {} })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }

  it("refuses a body that is not a form with 415 (never the 500 of an unparsable form), signed in or not", async () => {
    const cookie = await sessionCookieFor("xsbn");
    for (const type of ["text/plain", "application/json", "multipart/form-data"]) {
      const anonymous = await raw(login.action, "/login", type);
      expect(anonymous.status, type).toBe(415);
      expect(await jsonOf(anonymous)).toEqual({ reason: "unsupported_media_type" });
      const signedIn = await raw(newActivity.action, "/activities/new", type, cookie);
      expect(signedIn.status, type).toBe(415);
    }
  });
});
