/// <reference types="vite/client" />
// Malformed ids and junk query strings, tried on every route of app/routes: the answer is a 400 or a 404 (or the
// page with the junk ignored and named), never a 500, and nothing is thrown. Downloads that answer 200 must also
// deliver a whole file.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { call, sessionCookieFor, unitId } from "../helpers";

type RouteModule = { loader?: (args: any) => unknown; action?: (args: any) => unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}");
const moduleOf = (file: string) => modules[`../../app/routes/${file}`]!();

const HOSTILE_VALUES = [
  "abc",
  "-1",
  "0",
  "1.5",
  "1e3",
  "99999999999999999999",
  "9007199254740993",
  "\u0000",
  "%00",
  "../etc/passwd",
  "..%2F..%2Fetc",
  "' or 1=1--",
  "1; DROP TABLE activities",
  "x".repeat(5000),
  "９",
  "二〇二三",
  "😀",
  "__proto__",
  "constructor",
  " 1",
  "",
];

/** Routes with params: the params and a path builder. `roles` are who asks (an admin-only route is asked by admin). */
const PARAM_ROUTES: Record<string, { names: string[]; path: (p: Record<string, string>) => string; as?: string[] }> = {
  "activities.$id._index.tsx": { names: ["id"], path: (p) => `/activities/${p.id}` },
  "activities.$id.edit.tsx": { names: ["id"], path: (p) => `/activities/${p.id}/edit` },
  "activities.$id.delete.tsx": { names: ["id"], path: (p) => `/activities/${p.id}/delete` },
  "activities.$id.restore.tsx": { names: ["id"], path: (p) => `/activities/${p.id}/restore` },
  "$.tsx": { names: ["*"], path: (p) => `/${p["*"]}` },
  "areas.$code.tsx": { names: ["code"], path: (p) => `/areas/${p.code}` },
  "counterparts.$id._index.tsx": { names: ["id"], path: (p) => `/counterparts/${p.id}`, as: ["xsbn", "reviewer"] },
  "counterparts.$id.edit.tsx": { names: ["id"], path: (p) => `/counterparts/${p.id}/edit`, as: ["reviewer"] },
  "sister-cities.$id.tsx": { names: ["id"], path: (p) => `/sister-cities/${p.id}`, as: ["xsbn", "reviewer"] },
  "evaluation.$period.tsx": { names: ["period"], path: (p) => `/evaluation/${p.period}`, as: ["reviewer", "xsbn"] },
  "imports.$id.failed[.]xlsx.ts": { names: ["id"], path: (p) => `/imports/${p.id}/failed.xlsx` },
  "files.$id.tsx": { names: ["id"], path: (p) => `/files/${p.id}` },
  "indicators.$id._index.tsx": { names: ["id"], path: (p) => `/indicators/${p.id}` },
  "indicators.$id.edit.tsx": { names: ["id"], path: (p) => `/indicators/${p.id}/edit`, as: ["admin"] },
  "plan.$code.tsx": { names: ["code"], path: (p) => `/plan/${p.code}` },
  "reports.$unit.$period.tsx": { names: ["unit", "period"], path: (p) => `/reports/${p.unit}/${p.period}`, as: ["xsbn", "reviewer"] },
  "reports.$unit.$period_.print.tsx": { names: ["unit", "period"], path: (p) => `/reports/${p.unit}/${p.period}/print` },
};

/** A valid value for each param name, used while another param of the same route is the hostile one. */
async function validParams(): Promise<Record<string, string>> {
  return { id: "1", code: "4.2.5", period: "2024-H1", unit: String(await unitId("yn-xsbn")) };
}

function pathSafe(value: string): string {
  return encodeURIComponent(value);
}

/** Status codes a hostile request may get. */
const ACCEPTABLE = [200, 302, 400, 403, 404, 409];

async function expectNot500(response: Response, label: string) {
  expect(ACCEPTABLE, `${label} answered ${response.status}: ${await response.clone().text().catch(() => "")}`.slice(0, 500)).toContain(response.status);
  // a 200 download must arrive whole (a failure half way would look like a broken file, not an error)
  if (response.status === 200 && response.body) await response.arrayBuffer();
}

describe("hostile route params", () => {
  it("every route file with a $param is in the sweep", () => {
    const withParams = readdirSync("app/routes").filter((f) => f.includes("$"));
    expect(withParams.filter((f) => !Object.hasOwn(PARAM_ROUTES, f)), "add the route to PARAM_ROUTES").toEqual([]);
  });

  for (const [file, spec] of Object.entries(PARAM_ROUTES)) {
    for (const username of spec.as ?? ["xsbn"]) {
      it(`${file}: malformed params as ${username} → 400/404, never a 500`, async () => {
        const route = await moduleOf(file);
        const cookie = await sessionCookieFor(username);
        const valid = await validParams();
        for (const name of spec.names) {
          for (const value of HOSTILE_VALUES) {
            const params = { ...valid, [name]: value };
            const path = spec.path(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, pathSafe(v)])));
            const label = `${file} ${name}=${JSON.stringify(value.slice(0, 40))} as ${username}`;
            for (const handler of ["loader", "action"] as const) {
              if (!route[handler]) continue;
              const response = await call(route[handler], path, {
                cookie,
                params,
                ...(handler === "action" ? { form: { intent: "save", version: "1", plan_item_id: "1", rating: "red", comment: "x" } } : {}),
              });
              await expectNot500(response, `${handler} ${label}`);
              // a malformed id is never found (nor an error page of another kind), except where the role is refused first
              if (handler === "loader" && value !== "" && !/^\d+$/.test(value.trim())) {
                expect([400, 403, 404], label).toContain(response.status);
              }
            }
          }
        }
      });
    }
  }
});

const JUNK_QUERIES = [
  "page=-1",
  "page=abc",
  "page=0",
  "page=1e309",
  "page=99999999999999999999",
  "sort=__proto__",
  "sort=constructor",
  "sort=toString",
  "unit=999999",
  "unit=-1",
  "unit=abc",
  "unit=1&unit=2&unit=3",
  "period=2023-H9",
  "period=2023-Q5",
  "period=9999",
  "period=__proto__",
  "period=2023-H1&period=2024-H1",
  "from=2023-02-30",
  "to=2023-13-01",
  "from=2024-01-01&to=2023-01-01",
  "from=99999-01-01",
  "item=__proto__",
  "item=4.2.5.1.1.1",
  "pillar=..%2F..",
  "area=%00",
  "country=XX",
  "country=__proto__",
  "type=constructor",
  "status=hasOwnProperty",
  "kind=__proto__",
  "view=all&page=-5",
  "upload=1e9",
  "upload=-1",
  "q=%27%20or%201%3D1--",
  `q=${"长".repeat(3000)}`,
  "q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
  "notice=__proto__",
  "saved=constructor",
  "redirectTo=%2F%2Fevil.example",
  "redirectTo=javascript%3Aalert(1)",
  "%E0%A4%A=bad-percent",
  "a[]=1&a[b]=2",
];

/** A valid path for each route that takes query strings (routes with params get a valid one). */
async function listPaths(): Promise<Record<string, { path: string; params?: Record<string, string> }>> {
  const unit = String(await unitId("yn-xsbn"));
  return {
    "_index.tsx": { path: "/" },
    "activities._index.tsx": { path: "/activities" },
    "activities.new.tsx": { path: "/activities/new" },
    "activities.$id._index.tsx": { path: "/activities/1", params: { id: "1" } },
    "areas.$code.tsx": { path: "/areas/connectivity", params: { code: "connectivity" } },
    "counterparts._index.tsx": { path: "/counterparts" },
    "counterparts.$id._index.tsx": { path: "/counterparts/1", params: { id: "1" } },
    "sister-cities._index.tsx": { path: "/sister-cities" },
    "sister-cities.new.tsx": { path: "/sister-cities/new" },
    "sister-cities.$id.tsx": { path: "/sister-cities/1", params: { id: "1" } },
    "dashboard.tsx": { path: "/dashboard" },
    "drafts.tsx": { path: "/drafts" },
    "evaluation._index.tsx": { path: "/evaluation" },
    "evaluation.$period.tsx": { path: "/evaluation/2024-H1", params: { period: "2024-H1" } },
    "exports.activities[.]csv.ts": { path: "/exports/activities.csv" },
    "exports.activities[.]xlsx.ts": { path: "/exports/activities.xlsx" },
    "exports.evaluation[.]xlsx.ts": { path: "/exports/evaluation.xlsx" },
    "exports.ledger[.]xlsx.ts": { path: "/exports/ledger.xlsx" },
    "imports._index.tsx": { path: "/imports" },
    "files._index.tsx": { path: "/files" },
    "files.$id.tsx": { path: "/files/1", params: { id: "1" } },
    "imports.template[.]xlsx.ts": { path: "/imports/template.xlsx" },
    "inbox.tsx": { path: "/inbox" },
    "indicators._index.tsx": { path: "/indicators" },
    "indicators.new.tsx": { path: "/indicators/new" },
    "indicators.$id._index.tsx": { path: "/indicators/1", params: { id: "1" } },
    "indicators.$id.edit.tsx": { path: "/indicators/1/edit", params: { id: "1" } },
    "login.tsx": { path: "/login" },
    "monitoring._index.tsx": { path: "/monitoring" },
    "monitoring.coverage.tsx": { path: "/monitoring/coverage" },
    "monitoring.approve.tsx": { path: "/monitoring/approve" },
    "plan._index.tsx": { path: "/plan" },
    "plan.$code.tsx": { path: "/plan/4.2.5", params: { code: "4.2.5" } },
    "print.progress.tsx": { path: "/print/progress" },
    "reports._index.tsx": { path: "/reports" },
    "reports.$unit.$period.tsx": { path: `/reports/${unit}/2024-H1`, params: { unit, period: "2024-H1" } },
    "reports.$unit.$period_.print.tsx": { path: `/reports/${unit}/2024-H1/print`, params: { unit, period: "2024-H1" } },
    "trash.tsx": { path: "/trash" },
  };
}

describe("hostile query strings", () => {
  for (const username of ["xsbn", "reviewer", "admin"]) {
    it(`every page and download with junk in its query string, as ${username} → no 500, nothing thrown`, async () => {
      const cookie = await sessionCookieFor(username);
      const paths = await listPaths();
      for (const [file, { path, params }] of Object.entries(paths)) {
        const route = await moduleOf(file);
        for (const query of JUNK_QUERIES) {
          const url = `${path}?${query}`;
          const response = await call(route.loader, url, { cookie, params });
          await expectNot500(response, `${file} GET ${url.slice(0, 120)} as ${username}`);
        }
      }
    }, 120_000);
  }

  it("a list given a junk filter says which one it ignored, with a 400", async () => {
    const cookie = await sessionCookieFor("official");
    const { loader } = await moduleOf("activities._index.tsx");
    for (const [query, param] of [
      ["page=-1", "page"],
      ["page=abc", "page"],
      ["sort=__proto__", "sort"],
      ["from=2023-02-30", "from"],
      ["country=__proto__", "country"],
    ] as const) {
      const response = await call(loader, `/activities?${query}`, { cookie });
      expect(response.status, query).toBe(400);
      expect((await response.json()).invalid, query).toContain(param);
    }
  });
});
