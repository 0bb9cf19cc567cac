// The front door (server.ts) attacked with scripted requests, against the built app as `npm start` serves it:
// bodies of the wrong type → 415, oversized bodies → 413 before the body is read (the import alone takes up to
// 20 MB), cross-site and source-less writes → 403, all in the user's language and never a 500; the security
// headers on every kind of response, static files included; no-store for signed-in browsers; /readyz on an
// unmigrated database; a clear one-line start-up error for a database that cannot be reached; SIGTERM finishing
// the request in flight and exiting 0.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ROOT, signIn, startServer } from "../../bench/server";

const baseURL = inject("baseURL");
/** Every status the attack suite saw: none may be a 500. */
const seen: { what: string; status: number }[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  // (a /readyz 503 is the answer asked for; nothing else may be a 5xx)
  expect(seen.filter((s) => s.status >= 500 && !s.what.startsWith("readyz")), "no 500 anywhere in the attack suite").toEqual([]);
});

async function send(what: string, path: string, init: RequestInit & { headers?: Record<string, string> } = {}, base = baseURL) {
  const response = await fetch(`${base}${path}`, { redirect: "manual", ...init });
  seen.push({ what, status: response.status });
  return response;
}

const ZH = { Accept: "text/html" };
const EN_COOKIE = `lmc_locale=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("Content-Security-Policy") ?? "";
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(response.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
  expect(response.headers.get("Referrer-Policy"), what).toBe("same-origin");
  expect(response.headers.get("X-Frame-Options"), what).toBe("DENY");
  expect(response.headers.get("Cross-Origin-Opener-Policy"), what).toBe("same-origin");
  expect(response.headers.get("Permissions-Policy"), what).toMatch(/camera=\(\)/);
}

/** A POST whose headers promise `declared` bytes, of which only `sent` are sent: answered before the rest comes? */
function partialPost(path: string, headers: Record<string, string>, declared: number, sent: number) {
  return new Promise<{ status: number; body: string; connection: string | undefined; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const request = httpRequest(`${baseURL}${path}`, { method: "POST", headers: { ...headers, "Content-Length": String(declared) } });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (c: string) => (body += c));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, connection: response.headers.connection, ms: Date.now() - started });
      });
    });
    request.on("error", reject);
    request.write(Buffer.alloc(sent, 0x61));
    // the rest never comes: only an answer given without reading the body can arrive
  });
}

describe("bodies of a type no action reads", () => {
  it("are answered 415 in the user's language on the anonymous sign-in and on a signed-in action, never 500", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    const bodies: [string, string][] = [
      ["text/plain", "username=xsbn&password=lancang2026"],
      ["application/json", JSON.stringify({ username: "xsbn", password: "lancang2026" })],
      ["multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"],
      ["application/xml", "<a/>"],
    ];
    for (const [path, extra] of [
      ["/login", {}],
      ["/activities/new", { Cookie: cookie }],
      ["/reports/1/2023-H1", { Cookie: cookie }],
    ] as const) {
      for (const [type, body] of bodies) {
        const response = await send(`${type} → ${path}`, path, {
          method: "POST",
          headers: { ...ZH, ...extra, Origin: baseURL, "Content-Type": type },
          body,
        });
        expect(response.status, `${type} → ${path}`).toBe(415);
        expect(response.headers.get("Content-Type")).toMatch(/text\/html/);
        expect(await response.text()).toContain("提交的内容格式无法识别");
        expectSecurityHeaders(response, `415 ${path}`);
      }
    }
    // a body with no type at all
    const untyped = await send("untyped → /login", "/login", { method: "POST", headers: { Origin: baseURL }, body: new Uint8Array([1, 2, 3]) });
    expect(untyped.status).toBe(415);
  });

  it("answers Remix's data requests with JSON the app's error page shows, and English readers in English", async () => {
    const data = await send("json → data request", "/login?_data=routes%2Flogin", {
      method: "POST",
      headers: { Origin: baseURL, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(data.status).toBe(415);
    expect(data.headers.get("X-Remix-Catch")).toBe("yes");
    expect(await data.json()).toMatchObject({ reason: "unsupported_media_type" });

    const english = await send("json → /login (en)", "/login", {
      method: "POST",
      headers: { ...ZH, Cookie: EN_COOKIE, Origin: baseURL, "Content-Type": "text/plain" },
      body: "x",
    });
    expect(english.status).toBe(415);
    const html = await english.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain("not in a form this system reads");
  });
});

describe("body limits by route, before the body is read", () => {
  it("refuses 2 MB of multipart to /login with 413 without waiting for the body, and closes the connection", async () => {
    const answer = await partialPost(
      "/login",
      { ...ZH, Origin: baseURL, "Content-Type": "multipart/form-data; boundary=x" },
      2 * 1024 * 1024,
      1024,
    );
    seen.push({ what: "2 MB multipart → /login", status: answer.status });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe("close");
    expect(answer.body).toContain("超过 1 MB 上限");
  });

  it("refuses more than 1 MB anywhere but the import, multipart or not, anonymous or signed in", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    for (const [path, headers] of [
      ["/login", {}],
      ["/locale", {}],
      ["/activities/new", { Cookie: cookie }],
      ["/imports/1", { Cookie: cookie }],
    ] as const) {
      const answer = await partialPost(path, { ...headers, Origin: baseURL, "Content-Type": "application/x-www-form-urlencoded" }, 1024 * 1024 + 1, 10);
      seen.push({ what: `1 MB + 1 → ${path}`, status: answer.status });
      expect(answer.status, path).toBe(413);
    }
  });

  it("lets a reporter send 19 MB to the import, which answers itself, and refuses 21 MB at the door", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    const upload = (bytes: number) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)]), "台账.xlsx");
      return form;
    };
    const big = await send("19 MB → /imports", "/imports", {
      method: "POST",
      headers: { ...ZH, Cookie: cookie, Origin: baseURL },
      body: upload(19 * 1024 * 1024),
    });
    expect(big.status).not.toBe(413);
    expect(big.status).toBeLessThan(500);
    // the import's own words, beside its form: the file is over its 10 MB
    expect(await big.text()).toContain("文件超过 10 MB");

    const answer = await partialPost(
      "/imports",
      { ...ZH, Cookie: cookie, Origin: baseURL, "Content-Type": "multipart/form-data; boundary=x" },
      21 * 1024 * 1024,
      1024,
    );
    seen.push({ what: "21 MB → /imports", status: answer.status });
    expect(answer.status).toBe(413);
  });

  it("refuses a chunked body with no length with 411", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${baseURL}/activities/new`, {
        method: "POST",
        headers: { Origin: baseURL, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.write("title=x&");
    });
    seen.push({ what: "chunked → /activities/new", status });
    expect(status).toBe(411);
  });
});

describe("the Origin check before Remix", () => {
  it("answers a cross-site, a null-origin and a source-less write with the 403 page, and honours the proxy's host", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    const form = new URLSearchParams({ locale: "en", redirectTo: "/" }).toString();
    const headers = { ...ZH, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" };
    for (const [what, extra] of [
      ["foreign Origin", { Origin: "https://evil.example" }],
      ["Origin: null", { Origin: "null" }],
      ["foreign Referer", { Referer: "https://evil.example/page.html" }],
      ["look-alike host", { Origin: `${baseURL}.evil.example` }],
      ["no Origin, no Referer", {}],
    ] as const) {
      const response = await send(what, "/locale", { method: "POST", headers: { ...headers, ...extra }, body: form });
      expect(response.status, what).toBe(403);
      expect(await response.text(), what).toContain("该请求来自其他网站，已拒绝");
      expectSecurityHeaders(response, what);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
    }

    // behind a reverse proxy: the public host comes in X-Forwarded-Host (or Host)
    const proxied = await send("proxied", "/locale", {
      method: "POST",
      headers: { ...headers, Origin: "https://lmc.example.gov.cn", "X-Forwarded-Host": "lmc.example.gov.cn" },
      body: new URLSearchParams({ locale: "zh-CN", redirectTo: "/plan" }).toString(),
    });
    expect(proxied.status).toBe(302);
    const sameSite = await send("same site", "/locale", {
      method: "POST",
      headers: { ...headers, Referer: `${baseURL}/plan` },
      body: new URLSearchParams({ locale: "zh-CN", redirectTo: "/plan" }).toString(),
    });
    expect(sameSite.status).toBe(302);
  });
});

describe("headers on every response", () => {
  it("are on build files, the favicon, /healthz, /readyz, a resource route's 404, a document, a redirect and a missing file", async () => {
    const cookie = await signIn(baseURL, "official");
    const xsbn = await signIn(baseURL, "xsbn");
    const shared = readdirSync(join(ROOT, "public/build/_shared")).find((f) => f.endsWith(".js"))!;
    const bundle = await send("bundle", `/build/_shared/${shared}`);
    expect(bundle.status).toBe(200);
    expectSecurityHeaders(bundle, "build file");
    expect(bundle.headers.get("Cache-Control")).toMatch(/max-age=31536000.*immutable/);
    for (const [what, path, status, init] of [
      ["favicon", "/favicon.ico", 200, {}],
      ["healthz", "/healthz", 200, {}],
      ["readyz", "/readyz", 200, {}],
      ["resource 404", "/imports/999999/failed.xlsx", 404, { headers: { Cookie: xsbn } }],
      ["resource redirect", "/exports/activities.csv", 302, {}],
      ["document", "/plan", 200, { headers: { Cookie: cookie } }],
      ["missing build file", "/build/nothing-here.js", 404, {}],
      ["missing page", "/no/such/page", 404, {}],
    ] as const) {
      const response = await send(what, path, init);
      expect(response.status, what).toBe(status);
      expectSecurityHeaders(response, what);
    }
    // a page keeps its own policy, with the nonce its scripts carry (one policy, not two)
    const page = await send("page", "/plan", { headers: { Cookie: cookie } });
    expect(page.headers.get("Content-Security-Policy")).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(page.headers.get("Content-Security-Policy")).not.toContain(",");
  });

  it("keep signed-in answers out of caches (pages, data, downloads, the favicon), but not the hashed build files", async () => {
    const cookie = await signIn(baseURL, "official");
    for (const path of ["/plan", "/dashboard?_data=routes%2Fdashboard", "/exports/activities.csv", "/favicon.ico", "/no/such/page"]) {
      const response = await send(path, path, { headers: { Cookie: cookie } });
      expect(response.headers.get("Cache-Control"), path).toBe("no-store");
    }
    const shared = readdirSync(join(ROOT, "public/build/_shared")).find((f) => f.endsWith(".js"))!;
    const bundle = await send("bundle signed in", `/build/_shared/${shared}`, { headers: { Cookie: cookie } });
    expect(bundle.headers.get("Cache-Control")).toMatch(/immutable/);
    // anonymous visitors' static files stay cacheable
    expect((await send("favicon anonymous", "/favicon.ico")).headers.get("Cache-Control")).toMatch(/max-age=3600/);
  });
});

describe("deployment", () => {
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), "lmc-door-"));
    dirs.push(dir);
    return { DATABASE_PATH: join(dir, "door.db"), DATABASE_URL: "" };
  };

  it("is not ready (503) on an unmigrated database, and ready after `db:migrate`", async () => {
    const own = env();
    const server = await startServer({ env: own });
    try {
      const before = await send("readyz unmigrated", "/readyz", {}, server.baseURL);
      expect(before.status).toBe(503);
      expect(await before.text()).toMatch(/not ready: \d+ migration\(s\) not applied/);
      expect((await send("healthz unmigrated", "/healthz", {}, server.baseURL)).status).toBe(200);
      expect(server.output()).toContain("Not ready yet");
      execFileSync(join(ROOT, "node_modules/.bin/tsx"), ["db/migrate.ts"], { cwd: ROOT, env: { ...process.env, ...own } });
      const after = await send("readyz migrated", "/readyz", {}, server.baseURL);
      expect(after.status).toBe(200);
      expect(await after.text()).toBe("ready");
    } catch (error) {
      throw new Error(`${(error as Error).message}\nserver output:\n${server.output()}`);
    } finally {
      await server.stop();
    }
  });

  it("says in one line why it cannot start when the database cannot be reached, with no stack trace", async () => {
    const unreachable = startServer({ env: { DATABASE_URL: "postgres://lmc:wrong@127.0.0.1:1/lmc", DATABASE_PATH: ":memory:" } });
    const error = await unreachable.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/exited with 1 before listening/);
    expect(error?.message).toMatch(/cannot start: the database server refused the connection/);
    expect(error?.message).not.toMatch(/\n\s+at /);
  });

  it("on SIGTERM stops accepting, finishes the request in flight, and exits 0 within seconds", async () => {
    const own = env();
    execFileSync(join(ROOT, "node_modules/.bin/tsx"), ["db/migrate.ts"], { cwd: ROOT, env: { ...process.env, ...own } });
    const server = await startServer({ env: own });
    const exitCode = new Promise<number | null>((resolve) => server.child.once("exit", (code) => resolve(code)));
    // a sign-in whose body is still arriving when the signal comes
    const body = new URLSearchParams({ username: "nobody", password: "not-the-password" }).toString();
    const inFlight = new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${server.baseURL}/login`, {
        method: "POST",
        headers: { Origin: server.baseURL, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length) },
      });
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      });
      request.on("error", reject);
      request.write(body.slice(0, 5));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => request.end(body.slice(5)), 500);
      }, 300);
    });
    const started = Date.now();
    const status = await inFlight;
    seen.push({ what: "in flight during SIGTERM", status });
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
    expect(await exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.output()).toContain("SIGTERM: finishing the requests in flight");
    // and nobody is listening any more
    await expect(fetch(`${server.baseURL}/healthz`)).rejects.toThrow();
  });
});

describe("an address no page answers", () => {
  it("is a 404 inside the app's layout: the signed-in user still sees their unit, role and navigation", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    const page = await send("unknown page (signed in)", "/no-such-page/deeper", { headers: { ...ZH, Cookie: cookie } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("找不到您要的内容");
    expect(html.replaceAll("<!-- -->", "")).toContain("西双版纳傣族自治州 · 填报员");
    expect(html).toContain('href="/activities/new"');

    const anonymous = await send("unknown page (anonymous)", "/no-such-page", { headers: ZH });
    expect(anonymous.status).toBe(404);
    expect(await anonymous.text()).not.toContain("填报员");
  });
});

describe("the HTML of a page", () => {
  it("is valid UTF-8 without NUL bytes, however its Chinese text falls on the renderer's 2 KB buffers", async () => {
    const cookie = await signIn(baseURL, "xsbn");
    for (const path of ["/activities", "/plan", "/inbox", "/reports", "/dashboard"]) {
      const response = await send(`page ${path}`, path, { headers: { ...ZH, Cookie: cookie } });
      expect(response.status, path).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length, path).toBeGreaterThan(8192);
      expect(bytes.indexOf(0), `${path}: a NUL byte (shown as “�”)`).toBe(-1);
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), path).not.toThrow();
    }
  });
});
