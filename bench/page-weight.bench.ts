// Page weight: what a browser downloads to show a page. The built app (server.ts, NODE_ENV=production) on the demo
// database (migrations and seeds, as `npm start` prepares it), each page opened in Debian's Chromium as a signed-in
// user, in Chinese and in English: the HTML document and every script the page loads (modulepreloads, the entry,
// and what it imports on the way to hydration — the language's catalog among them), raw and gzipped (gzip -6, as a
// server would compress them; the app's own server sends them uncompressed over loopback). Also the size of the
// shared chunks every page loads (the root route's) and of each language's catalog chunk. Writes its section of
// bench/results/latest.md.
//
//   npm run bench -- page-weight
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { ensureBuild, machineLine } from "./http-measure";
import { writeResultsSection } from "./results";
import { DEMO_PASSWORD, ROOT, startServer } from "./server";

/** Who opens which page: each page as the role that uses it. */
const PAGES: [user: string, path: string][] = [
  ["xsbn", "/"],
  ["xsbn", "/activities"],
  ["xsbn", "/activities/new"],
  ["xsbn", "/reports"],
  ["official", "/"],
  ["official", "/plan"],
  ["official", "/dashboard"],
  ["official", "/monitoring"],
  ["reviewer", "/evaluation/2023-H1"],
  ["admin", "/admin/users"],
];
const LOCALES = ["zh-CN", "en"] as const;

const gz = (body: Buffer) => gzipSync(body, { level: 6 }).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

interface Weight {
  user: string;
  path: string;
  locale: string;
  htmlRaw: number;
  htmlGz: number;
  scripts: number;
  jsRaw: number;
  jsGz: number;
  catalogs: string[];
}

/** The files of public/build a page's manifest entry names, with their sizes. */
function buildFiles(paths: string[]) {
  return paths.map((p) => {
    const body = readFileSync(join(ROOT, "public", p));
    return { path: p, raw: body.length, gz: gz(body) };
  });
}

function rootChunks() {
  const dir = join(ROOT, "public/build");
  const manifestFile = readdirSync(dir).find((f) => f.startsWith("manifest-"))!;
  const text = readFileSync(join(dir, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as {
    entry: { module: string; imports: string[] };
    routes: Record<string, { module: string; imports?: string[] }>;
  };
  const root = manifest.routes.root!;
  const files = buildFiles([...new Set([manifest.entry.module, ...manifest.entry.imports, root.module, ...(root.imports ?? [])])]);
  const catalogs = buildFiles(
    readdirSync(join(dir, "_shared"))
      .filter((f) => /^(zh-CN|en)-[A-Z0-9]+\.js$/.test(f))
      .map((f) => `/build/_shared/${f}`),
  );
  return { files, catalogs };
}

async function main() {
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), "lmc-page-weight-"));
  const env = { NODE_ENV: "production" as const, DATABASE_PATH: join(dir, "weight.db"), DATABASE_URL: "" };
  execFileSync(join(ROOT, "node_modules/.bin/tsx"), ["db/migrate.ts"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore" });
  execFileSync(join(ROOT, "node_modules/.bin/tsx"), ["seeds/seed.ts"], { cwd: ROOT, env: { ...process.env, ...env, SEED_DEMO: "true" }, stdio: "ignore" });
  const server = await startServer({ env });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const weights: Weight[] = [];
  try {
    for (const locale of LOCALES) {
      for (const user of [...new Set(PAGES.map(([u]) => u))]) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${server.baseURL}/login`);
        await page.fill('input[name="username"]', user);
        await page.fill('input[name="password"]', DEMO_PASSWORD);
        await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('.login button[type="submit"]')]);
        // the language as the header's switch leaves it (signing in sets the user's own): the locale cookie
        await context.addCookies([{ name: "lmc_locale", value: Buffer.from(JSON.stringify(locale)).toString("base64"), url: server.baseURL }]);
        for (const [, path] of PAGES.filter(([u]) => u === user)) {
          const scripts = new Map<string, Promise<Buffer>>();
          let html: Promise<Buffer> | undefined;
          const onResponse = (response: import("playwright-core").Response) => {
            const type = response.request().resourceType();
            if (type === "script") scripts.set(response.url(), response.body());
            if (type === "document" && response.url() === `${server.baseURL}${path}`) html = response.body();
          };
          page.on("response", onResponse);
          const answer = await page.goto(`${server.baseURL}${path}`, { waitUntil: "networkidle" });
          page.off("response", onResponse);
          if (answer?.status() !== 200) throw new Error(`${user} ${path} (${locale}) answered ${answer?.status()}`);
          if ((await page.locator("html").getAttribute("lang")) !== locale) throw new Error(`${path} is not in ${locale}`);
          const bodies = await Promise.all(scripts.values());
          const document = await html!;
          weights.push({
            user,
            path,
            locale,
            htmlRaw: document.length,
            htmlGz: gz(document),
            scripts: bodies.length,
            jsRaw: bodies.reduce((sum, b) => sum + b.length, 0),
            jsGz: bodies.reduce((sum, b) => sum + gz(b), 0),
            catalogs: [...scripts.keys()].map((u) => /\/(zh-CN|en)-[A-Z0-9]+\.js$/.exec(u)?.[1]).filter((c): c is string => !!c),
          });
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const { files, catalogs } = rootChunks();
  const rootRaw = files.reduce((s, f) => s + f.raw, 0);
  const rootGz = files.reduce((s, f) => s + f.gz, 0);
  const wrong = weights.filter((w) => w.catalogs.length !== 1 || w.catalogs[0] !== w.locale);
  const table = [
    "| page | as | language | HTML KB | HTML KB gzip | scripts | JS KB | JS KB gzip | catalog loaded |",
    "|---|---|---|---:|---:|---:|---:|---:|---|",
    ...weights.map(
      (w) =>
        `| ${w.path} | ${w.user} | ${w.locale} | ${kb(w.htmlRaw)} | ${kb(w.htmlGz)} | ${w.scripts} | ${kb(w.jsRaw)} | ${kb(w.jsGz)} | ${w.catalogs.join(", ") || "none"} |`,
    ),
  ].join("\n");
  const chunkTable = [
    "| chunk | KB | KB gzip |",
    "|---|---:|---:|",
    `| entry + root route and their imports (every page) | ${kb(rootRaw)} | ${kb(rootGz)} |`,
    ...catalogs.map((c) => `| catalog ${c.path.replace(/^.*\//, "")} | ${kb(c.raw)} | ${kb(c.gz)} |`),
  ].join("\n");
  console.log(`\n${table}\n\n${chunkTable}`);
  if (wrong.length) throw new Error(`pages that did not load exactly their own language's catalog: ${wrong.map((w) => `${w.path} ${w.locale}: ${w.catalogs.join(",")}`).join("; ")}`);

  writeResultsSection(
    "page-weight",
    [
      "<!-- page-weight-bench:start -->",
      "## Page weight: what a browser downloads per page",
      "",
      `Run ${new Date().toISOString()} by \`npm run bench\` (bench/page-weight.bench.ts; the demo database; Debian's Chromium).`,
      machineLine(),
      "",
      table,
      "",
      chunkTable,
      "",
      "- JS is every script the page loaded until the network was idle: the modulepreloads, the entry, the route",
      "  modules and the one language catalog imported before hydration; gzip sizes are of each file at level 6.",
      "- Each language's messages are their own chunk: a page loads the catalog of its language only (before the",
      "  split, both catalogs sat in a shared root chunk of 273 KB, 62 KB gzipped, on every page).",
      "- HTML is the server-rendered document, with the root and route loader data it carries.",
      "<!-- page-weight-bench:end -->",
    ].join("\n"),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
