/// <reference types="vite/client" />
// Every route file in app/routes × every role × a row of the user's own unit (西双版纳州) and of another (昆明市).
// The table below declares, per route, what its loader answers and what its action does; the first test compares
// the table with app/routes, so a route cannot be added (or removed) without its line here.
// A refused write must also change nothing: every table an action can touch is compared before and after.
//
// authz-covers: activities.new.tsx
// authz-covers: $.tsx
// authz-covers: inbox.tsx
// authz-covers: activities.$id.edit.tsx
// authz-covers: activities.$id.delete.tsx
// authz-covers: activities.$id.restore.tsx
// authz-covers: activities.close.tsx
// authz-covers: admin.periods.tsx
// authz-covers: evaluation.$period.tsx
// authz-covers: monitoring.approve.tsx
// authz-covers: imports._index.tsx
// authz-covers: indicators.$id._index.tsx
// authz-covers: indicators.$id.edit.tsx
// authz-covers: indicators.new.tsx
// authz-covers: reports.$unit.$period.tsx
// authz-covers: sister-cities.new.tsx
// authz-covers: sister-cities.$id.tsx
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createIndicator } from "~/models/indicator.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";
import { BASE, type CallOptions, call, seedActivity, sessionCookieFor, unitId, validActivityForm } from "../helpers";

type Who = "anonymous" | "reporter" | "leader" | "reviewer" | "official" | "admin";
/** The demo user acting in each role; reporter and leader belong to 西双版纳州, the "own" unit. */
const USERS: Record<Who, string | null> = {
  anonymous: null,
  reporter: "xsbn",
  leader: "xsbn_leader",
  reviewer: "reviewer",
  official: "official",
  admin: "admin",
};
const ROLES = Object.keys(USERS) as Who[];
/** own: a row of 西双版纳州 (the reporter's and leader's unit); other: a row of 昆明市. */
type Where = "own" | "other";
const UNIT_OF: Record<Where, string> = { own: "yn-xsbn", other: "yn-km" };

/** A status code, or "login": a 302 to /login (what the app answers a request without a session). */
type Expect = number | "login";
/** The same answer for a row of either unit, or one per unit. */
type PerUnit = Expect | { own: Expect; other: Expect };
type Expectations = Record<Who, PerUnit>;

interface Target extends CallOptions {
  path: string;
}

interface RouteSpec {
  /** the request for a row of the given unit (prepared fresh, in the state the route expects) */
  target: (where: Where) => Promise<Target>;
  /** whether own/other differ for this route (only then both are tried) */
  perUnit?: boolean;
  loader: Expectations;
  action?: {
    /** the form posted (in addition to the target's params) for a row of the given unit, by the given role */
    form: (where: Where, target: Target, who: Who) => Promise<Record<string, string | string[]>>;
    expect: Expectations;
    /** an allowed action that still writes nothing (sign-in errors, language already chosen): always, or for these roles */
    writesNothing?: boolean | Who[];
  };
}

const LOGIN = "login" as const;
/** Signed-in users all get `status`; anonymous ones are sent to sign in. */
function signedIn(status: PerUnit): Expectations {
  return { anonymous: LOGIN, reporter: status, leader: status, reviewer: status, official: status, admin: status };
}
function only(roles: Partial<Record<Who, PerUnit>>, otherwise: PerUnit = 403): Expectations {
  return { ...signedIn(otherwise), ...roles };
}
const OWN_ONLY = { own: 302, other: 403 } as const;

// ── fixtures ────────────────────────────────────────────────────────────────────────────────────

let seq = 0;
function activityOf(where: Where, deleted = false): Promise<number> {
  return seedActivity(UNIT_OF[where], { title: `矩阵测试活动 ${++seq}`, deleted });
}

async function enteredIndicator(): Promise<number> {
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.7").executeTakeFirstOrThrow();
  return createIndicator(
    db,
    {
      code: `matrix-${++seq}`,
      planItemId: item.id,
      nameZh: "矩阵测试指标",
      nameEn: "Matrix test indicator",
      unit: "对",
      baselineValue: 23,
      baselineYear: 2022,
      targetValue: 30,
      direction: "up",
      measure: "stock",
      source: "entered",
      computation: null,
     
      periodTargets: [],
    },
    null,
  );
}

/** An upload previewed by the reporter of the unit (xsbn for own, kunming for other), ready to import. */
async function uploadOf(where: Where): Promise<number> {
  const username = where === "own" ? "xsbn" : "kunming";
  const rows = generatedRows(2, { unit: where === "own" ? "西双版纳傣族自治州" : "昆明市", seed: `矩阵${++seq}` });
  rows.push(["有错误的行", "会议", "不是日期", null, null, "4.2.5"]);
  const form = new FormData();
  form.append("file", new File([new Uint8Array(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows))], "台账.xlsx"));
  const { action } = await import("~/routes/imports._index");
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: await sessionCookieFor(username) }, body: form });
  const response = (await action({ request, params: {}, context: {} })) as Response;
  expect(response.status).toBe(302);
  // the upload answers at once; its worker thread reads and checks the file meanwhile
  await importJobsIdle(db);
  return Number(new URL(response.headers.get("Location")!, BASE).searchParams.get("upload"));
}

/** An evidence file (a small PDF) on a fresh activity of the unit, stored directly. */
async function evidenceFileOf(where: Where): Promise<number> {
  const activity = await activityOf(where);
  const { id } = await db
    .insertInto("evidence_files")
    .values({ activity_id: activity, organization_id: null, period_id: null, name: `矩阵佐证${++seq}.pdf`, content_type: "application/pdf", size_bytes: 9, sha256: "0".repeat(64), created_by: null, created_at: new Date().toISOString() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("evidence_file_contents").values({ file_id: id, bytes: Buffer.from("%PDF-1.4\n") }).execute();
  return id;
}

const REPORT_PERIOD = "2026-H2";
async function reportVersion(where: Where): Promise<string> {
  const period = await db.selectFrom("reporting_periods").select("id").where("code", "=", REPORT_PERIOD).executeTakeFirstOrThrow();
  const row = await db
    .selectFrom("period_reports")
    .select("version")
    .where("organization_id", "=", await unitId(UNIT_OF[where]))
    .where("period_id", "=", period.id)
    .executeTakeFirst();
  return String(row?.version ?? 0);
}

const BULK_PERIOD = "2027-H1";
/** The unit's report for BULK_PERIOD, put (back) in the state "submitted": "unitId:period", a cell of the matrix. */
async function submittedReportOf(where: Where): Promise<string> {
  const unit = await unitId(UNIT_OF[where]);
  const period = await periodId(BULK_PERIOD);
  const now = new Date().toISOString();
  const existing = await db.selectFrom("period_reports").select("id").where("organization_id", "=", unit).where("period_id", "=", period).executeTakeFirst();
  if (existing) await db.updateTable("period_reports").set({ status: "submitted", version: ++seq, updated_at: now }).where("id", "=", existing.id).execute();
  else {
    await db
      .insertInto("period_reports")
      .values({ organization_id: unit, period_id: period, status: "submitted", version: 1, first_submitted_at: now, submitted_at: now, submitted_by: null, reviewed_at: null, reviewed_by: null, return_reason: null, created_at: now, updated_at: now })
      .execute();
  }
  return `${unit}:${BULK_PERIOD}`;
}

async function reportVersionOf(where: Where, code: string): Promise<number> {
  const row = await db
    .selectFrom("period_reports")
    .select("version")
    .where("organization_id", "=", await unitId(UNIT_OF[where]))
    .where("period_id", "=", await periodId(code))
    .executeTakeFirstOrThrow();
  return row.version;
}

async function periodId(code: string): Promise<number> {
  return (await db.selectFrom("reporting_periods").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function planItemId(code: string): Promise<number> {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

const at = (path: string, params: Record<string, string> = {}) => async (): Promise<Target> => ({ path, params });

/** A fresh body of the counterpart register (Laos), registered directly. */
async function counterpartBody(name: string): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto("counterparts")
    .values({ code: null, country_code: "LA", level: "organization", name_zh: name, name_en: "", name_local: "", created_by: null, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A fresh relationship of the sister-city register: the unit's, with a fresh body, at the stage of 共识. */
async function sisterCityOf(where: Where): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto("sister_cities")
    .values({
      organization_id: await unitId(UNIT_OF[where]),
      counterpart_id: await sisterCityBody(`矩阵友城机构 ${++seq}`),
      stage: "consensus",
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A fresh body a sister-city relationship can be made with (a Lao province). */
async function sisterCityBody(name: string): Promise<number> {
  const id = await counterpartBody(name);
  await db.updateTable("counterparts").set({ level: "province" }).where("id", "=", id).execute();
  return id;
}

// ── the table: one line per file in app/routes ──────────────────────────────────────────────────

const ROUTES: Record<string, RouteSpec> = {
  "_index.tsx": { target: at("/"), loader: signedIn(200) },
  "activities._index.tsx": { target: at("/activities"), loader: signedIn(200) },
  "activities.$id._index.tsx": {
    target: async (where) => {
      const id = String(await activityOf(where));
      return { path: `/activities/${id}`, params: { id } };
    },
    perUnit: true,
    loader: signedIn(200),
  },
  "activities.new.tsx": {
    target: at("/activities/new"),
    perUnit: true,
    loader: only({ reporter: 200 }),
    action: {
      // the unit is chosen in the form: logging for another unit is refused like any other forbidden write
      form: (where) => validActivityForm(UNIT_OF[where], { title: `矩阵新活动 ${++seq}` }),
      expect: only({ reporter: OWN_ONLY }),
    },
  },
  "activities.$id.edit.tsx": {
    target: async (where) => {
      const id = String(await activityOf(where));
      return { path: `/activities/${id}/edit`, params: { id } };
    },
    perUnit: true,
    loader: only({ reporter: { own: 200, other: 403 } }),
    action: {
      form: async (where) => ({ ...(await validActivityForm(UNIT_OF[where], { title: "被篡改的标题" })), version: "1" }),
      expect: only({ reporter: OWN_ONLY }),
    },
  },
  "activities.$id.delete.tsx": {
    target: async (where) => {
      const id = String(await activityOf(where));
      return { path: `/activities/${id}/delete`, params: { id } };
    },
    perUnit: true,
    // a POST-only route: its loader answers 404 to everyone, before asking who is there
    loader: { ...signedIn(404), anonymous: 404 },
    action: { form: async () => ({}), expect: only({ reporter: OWN_ONLY }) },
  },
  "activities.$id.restore.tsx": {
    target: async (where) => {
      const id = String(await activityOf(where, true));
      return { path: `/activities/${id}/restore`, params: { id } };
    },
    perUnit: true,
    loader: { ...signedIn(404), anonymous: 404 },
    action: { form: async () => ({}), expect: only({ reporter: OWN_ONLY }) },
  },
  "activities.close.tsx": {
    target: at("/activities/close"),
    perUnit: true,
    loader: { ...signedIn(404), anonymous: 404 },
    action: {
      // a planned activity of the unit whose dates have passed, fresh each time: the action closes it
      form: async (where) => {
        const id = await activityOf(where);
        await db.updateTable("activities").set({ status: "planned", start_date: "2025-05-10", end_date: "2025-05-12" }).where("id", "=", id).execute();
        return { activity: String(id), status: "completed" };
      },
      expect: only({ reporter: OWN_ONLY }),
    },
  },
  "account.password.tsx": {
    target: at("/account/password"),
    // everyone signed in changes their own password, and nobody else's
    loader: signedIn(200),
    action: {
      form: async () => ({ current_password: "lancang2026", new_password: "Mekong-Lancang-2027", repeat_password: "Mekong-Lancang-2027" }),
      expect: signedIn(302),
    },
  },
  "admin.users.tsx": {
    target: at("/admin/users"),
    loader: only({ admin: 200 }),
    action: {
      form: async (_where, _target, who) => ({
        intent: "create",
        username: `matrix_${who}`,
        display_name: "矩阵测试",
        organization_id: String(await unitId("yn-xsbn")),
        role: "reporter",
        password: "Mekong-Lancang-2027",
      }),
      expect: only({ admin: 302 }),
    },
  },
  "admin.periods.tsx": {
    target: at("/admin/periods"),
    loader: only({ admin: 200 }),
    action: {
      form: async (_where, _target, who) => ({
        intent: "due",
        period_id: String(await periodId("2027-H2")),
        due_date: `2028-02-${String(10 + ROLES.indexOf(who)).padStart(2, "0")}`,
      }),
      expect: only({ admin: 302 }),
    },
  },
  "areas.$code.tsx": { target: at("/areas/connectivity", { code: "connectivity" }), loader: signedIn(200) },
  "counterparts._index.tsx": { target: at("/counterparts"), loader: signedIn(200) },
  "counterparts.$id._index.tsx": {
    // a body and a duplicate of it, fresh for each request: the action merges the duplicate in
    target: async () => {
      const id = String(await counterpartBody(`矩阵机构 ${++seq}`));
      const duplicate = await counterpartBody(`矩阵重复机构 ${seq}`);
      return { path: `/counterparts/${id}?duplicate=${duplicate}`, params: { id } };
    },
    loader: signedIn(200),
    action: {
      form: async (_where, target) => ({ duplicate_id: new URL(target.path, BASE).searchParams.get("duplicate")!, confirm: "yes" }),
      expect: only({ reviewer: 302, admin: 302 }),
    },
  },
  "counterparts.$id.edit.tsx": {
    target: async () => {
      const id = String(await counterpartBody(`矩阵编辑机构 ${++seq}`));
      return { path: `/counterparts/${id}/edit`, params: { id } };
    },
    loader: only({ reviewer: 200, admin: 200 }),
    action: {
      form: async (_where, target) => ({
        name_zh: `矩阵编辑机构 ${target.params!.id}`,
        name_en: `Matrix body ${++seq}`,
        name_local: "",
        country_code: "LA",
        level: "organization",
        aliases: "",
      }),
      expect: only({ reviewer: 302, admin: 302 }),
    },
  },
  "dashboard.tsx": { target: at("/dashboard"), loader: signedIn(200) },
  "sister-cities._index.tsx": { target: at("/sister-cities"), loader: signedIn(200) },
  "sister-cities.new.tsx": {
    target: at("/sister-cities/new"),
    perUnit: true,
    // reviewers and administrators add a relationship for any unit; a reporter for their own unit and those below
    loader: only({ reporter: 200, reviewer: 200, admin: 200 }),
    action: {
      form: async (where) => ({
        organization_id: String(await unitId(UNIT_OF[where])),
        counterpart_id: String(await sisterCityBody(`矩阵新友城 ${++seq}`)),
        stage: "consensus",
        consensus_on: "2025",
      }),
      expect: only({ reporter: OWN_ONLY, reviewer: 302, admin: 302 }),
    },
  },
  "sister-cities.$id.tsx": {
    target: async (where) => {
      const id = String(await sisterCityOf(where));
      return { path: `/sister-cities/${id}`, params: { id } };
    },
    perUnit: true,
    loader: signedIn(200),
    action: {
      form: async () => ({ stage: "letter_of_intent", letter_of_intent_on: "2025-06" }),
      expect: only({ reporter: OWN_ONLY, reviewer: 302, admin: 302 }),
    },
  },
  "drafts.tsx": { target: at("/drafts"), loader: signedIn(200) },
  // the load balancer's probe: no session, nothing but "the database answers"
  // any address no page answers: a 404 inside the layout, for everyone, and a POST there writes nothing
  "$.tsx": {
    target: async () => ({ path: "/no-such-page/deeper", params: { "*": "no-such-page/deeper" } }),
    loader: { ...signedIn(404), anonymous: 404 },
    action: { form: async () => ({}), expect: { ...signedIn(404), anonymous: 404 }, writesNothing: true },
  },
  "healthz.ts": { target: at("/healthz"), loader: { ...signedIn(200), anonymous: 200 } },
  "readyz.ts": { target: at("/readyz"), loader: { ...signedIn(200), anonymous: 200 } },
  "evaluation._index.tsx": { target: at("/evaluation"), loader: signedIn(302) },
  "evaluation.$period.tsx": {
    target: at("/evaluation/2024-H1", { period: "2024-H1" }),
    loader: signedIn(200),
    action: {
      form: async (_where, _target, who) => ({
        plan_item_id: String(await planItemId("4.2.1")),
        rating: "red",
        comment: `矩阵评估意见 ${who} ${++seq}`,
        override_reason: "与建议不同的理由",
      }),
      expect: only({ reviewer: 302 }),
    },
  },
  "exports.activities[.]csv.ts": { target: at("/exports/activities.csv?q=矩阵"), loader: signedIn(200) },
  "exports.activities[.]xlsx.ts": { target: at("/exports/activities.xlsx?q=矩阵"), loader: signedIn(200) },
  "exports.evaluation[.]xlsx.ts": { target: at("/exports/evaluation.xlsx?period=2024-H1"), loader: signedIn(200) },
  "exports.report[.]docx.ts": { target: async (where) => ({ path: `/exports/report.docx?unit=${await unitId(UNIT_OF[where])}&period=2023-H1` }), perUnit: true, loader: signedIn(200) },
  "exports.ledger[.]xlsx.ts": {
    // everyone signed in reads every unit's ledger
    target: async (where) => ({ path: `/exports/ledger.xlsx?unit=${await unitId(UNIT_OF[where])}&period=2024-H1` }),
    perUnit: true,
    loader: signedIn(200),
  },
  // the files of the file's activity (everyone reads them); a file is moved to the recycle bin by the unit's reporter
  // (the upload itself, multipart, is tried in tests/integration/evidence-files.test.ts)
  "files._index.tsx": {
    target: async (where) => ({ path: `/files?file=${await evidenceFileOf(where)}` }),
    perUnit: true,
    loader: signedIn(200),
    action: { form: async () => ({ intent: "delete" }), expect: only({ reporter: OWN_ONLY }) },
  },
  "files.$id.tsx": {
    target: async (where) => {
      const id = String(await evidenceFileOf(where));
      return { path: `/files/${id}`, params: { id } };
    },
    perUnit: true,
    // evidence is read like the activity it documents: by everyone signed in
    loader: signedIn(200),
  },
  "imports._index.tsx": {
    target: async (where) => ({ path: `/imports?upload=${await uploadOf(where)}` }),
    perUnit: true,
    // another reporter's upload is "not found", exactly like one that never existed
    loader: only({ reporter: { own: 200, other: 404 } }),
    action: {
      form: async (_where, target) => ({ upload_id: new URL(target.path, BASE).searchParams.get("upload")!, mode: "valid" }),
      expect: only({ reporter: { own: 302, other: 404 } }),
    },
  },
  "imports.$id.failed[.]xlsx.ts": {
    target: async (where) => {
      const id = String(await uploadOf(where));
      return { path: `/imports/${id}/failed.xlsx`, params: { id } };
    },
    perUnit: true,
    loader: only({ reporter: { own: 200, other: 404 } }),
  },
  "imports.template[.]xlsx.ts": { target: at("/imports/template.xlsx"), loader: only({ reporter: 200 }) },
  "inbox.tsx": {
    target: at("/inbox"),
    loader: signedIn(200),
    // 催报: only reviewers remind the late units of a period
    action: { form: async () => ({ intent: "remind", period: "2025-H2" }), expect: only({ reviewer: 302 }) },
  },
  "indicators._index.tsx": { target: at("/indicators"), loader: signedIn(200) },
  // the live count beside the definition form: what a 口径 counts for a unit and period
  "indicators.count.ts": {
    target: at("/indicators/count?plan_item=5.4&computation=sum_delegations&statuses=completed&statuses=ongoing&item_scope=any&preview_unit=1&preview_period=2023-H1"),
    loader: only({ admin: 200 }),
  },
  "indicators.new.tsx": {
    target: at("/indicators/new"),
    loader: only({ admin: 200 }),
    action: {
      form: async () => ({
        code: `matrix-new-${++seq}`,
        name_zh: "矩阵新指标",
        name_en: "Matrix indicator",
        plan_item: "4.3.7",
        unit: "对",
        baseline_value: "23",
        baseline_year: "2022",
        target_value: "99",
        direction: "up",
        measure: "stock",
        source: "entered",
        computation: "",
        activity_type: "",
        period_kind: "half",
      }),
      expect: only({ admin: 302 }),
    },
  },
  "indicators.$id._index.tsx": {
    target: async () => {
      const id = String(await enteredIndicator());
      return { path: `/indicators/${id}`, params: { id } };
    },
    perUnit: true,
    loader: signedIn(200),
    action: {
      // the value is entered for the unit named in the form
      form: async (where) => ({ organization_id: String(await unitId(UNIT_OF[where])), period: "2024-H2", value: "7", source_note: "矩阵测试" }),
      expect: only({ reporter: OWN_ONLY, leader: OWN_ONLY }),
    },
  },
  "indicators.$id.edit.tsx": {
    target: async () => {
      const id = String(await enteredIndicator());
      return { path: `/indicators/${id}/edit`, params: { id } };
    },
    loader: only({ admin: 200 }),
    action: {
      form: async () => ({
        code: "ignored",
        name_zh: "被篡改的指标",
        name_en: "Tampered indicator",
        plan_item: "4.3.7",
        unit: "对",
        baseline_value: "23",
        baseline_year: "2022",
        target_value: "99",
        direction: "up",
        measure: "stock",
        source: "entered",
        computation: "",
        activity_type: "",
        period_kind: "half",
      }),
      expect: only({ admin: 302 }),
    },
  },
  "locale.tsx": {
    target: at("/locale"),
    // the language switch works signed in or not, and acts only on the poster's own session
    loader: { ...signedIn(302), anonymous: 302 },
    action: { form: async () => ({ locale: "zh-CN", redirectTo: "/plan" }), expect: { ...signedIn(302), anonymous: 302 }, writesNothing: true },
  },
  "login.tsx": {
    target: at("/login"),
    // signed in already: sent on
    loader: { ...signedIn(302), anonymous: 200 },
    action: { form: async () => ({ username: "", password: "" }), expect: { ...signedIn(400), anonymous: 400 }, writesNothing: true },
  },
  "logout.tsx": {
    target: at("/logout"),
    loader: { ...signedIn(302), anonymous: 302 },
    // signing out writes its audit entry (auth.sign_out); with no one signed in there is nothing to write
    action: { form: async () => ({}), expect: { ...signedIn(302), anonymous: 302 }, writesNothing: ["anonymous"] },
  },
  "monitoring._index.tsx": { target: at("/monitoring"), loader: signedIn(200) },
  "monitoring.coverage.tsx": { target: at("/monitoring/coverage"), loader: signedIn(200) },
  "monitoring.approve.tsx": {
    // a report of the unit, submitted and awaiting review, fresh for each request (the action approves it)
    target: async (where) => {
      const cell = await submittedReportOf(where);
      return { path: `/monitoring/approve?report=${cell}`, params: {} };
    },
    loader: only({ reviewer: 200 }),
    action: {
      form: async (where) => {
        const unit = await unitId(UNIT_OF[where]);
        return { report: `${unit}:${BULK_PERIOD}:${await reportVersionOf(where, BULK_PERIOD)}`, count: "1", confirm: "yes" };
      },
      expect: only({ reviewer: 302 }),
    },
  },
  "monitoring.duplicates.tsx": {
    target: at("/monitoring/duplicates"),
    loader: only({ reviewer: 200 }),
    action: {
      // a fresh likely pair each time: two units' records of one festival with one counterpart
      form: async () => {
        const [a, b] = [await activityOf("own"), await activityOf("other")];
        await db.updateTable("activities").set({ counterpart_body: `矩阵测试机构${++seq}` }).where("id", "in", [a, b]).execute();
        return { intent: "dismiss", a: String(a), b: String(b) };
      },
      expect: only({ reviewer: 302 }),
    },
  },
  "plan._index.tsx": { target: at("/plan"), loader: signedIn(200) },
  "plan.$code.tsx": { target: at("/plan/4.2.5", { code: "4.2.5" }), loader: signedIn(200) },
  "print.progress.tsx": { target: at("/print/progress?period=2024-H1"), loader: signedIn(200) },
  "reports._index.tsx": { target: at("/reports"), loader: signedIn(200) },
  "reports.$unit.$period.tsx": {
    target: async (where) => {
      const unit = String(await unitId(UNIT_OF[where]));
      return { path: `/reports/${unit}/${REPORT_PERIOD}`, params: { unit, period: REPORT_PERIOD } };
    },
    perUnit: true,
    // every report is readable by everyone signed in; only the unit's reporter and leader write its draft
    loader: signedIn(200),
    action: {
      form: async (where) => {
        const item = String(await planItemId("4.3.2"));
        return { intent: "save", version: await reportVersion(where), item_ids: [item], [`progress_${item}`]: `矩阵进展 ${++seq}` };
      },
      expect: only({ reporter: OWN_ONLY, leader: OWN_ONLY }),
    },
  },
  "reports.$unit.$period_.print.tsx": {
    target: async (where) => {
      const unit = String(await unitId(UNIT_OF[where]));
      return { path: `/reports/${unit}/2023-H1/print`, params: { unit, period: "2023-H1" } };
    },
    perUnit: true,
    loader: signedIn(200),
  },
  "trash.tsx": { target: at("/trash"), loader: signedIn(200) },
};

/** What the next person adds for a new route file, ready to paste. */
function lineToAdd(file: string): string {
  const action = /\.tsx$/.test(file) ? "\n    action: { form: async (where) => ({ /* a valid form */ }), expect: only({ /* role: 302 or OWN_ONLY */ }) }," : "";
  return `  "${file}": {\n    target: async (where) => ({ path: "/…", params: { /* route params */ } }),\n    perUnit: true, // if a row of a unit is involved\n    loader: signedIn(200), // or only({ admin: 200 }) …${action}\n  },`;
}

// ── the route modules, loaded by file name ──────────────────────────────────────────────────────

type RouteModule = { loader?: (args: any) => unknown; action?: (args: any) => unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}");
function moduleOf(file: string): Promise<RouteModule> {
  const load = modules[`../../app/routes/${file}`];
  if (!load) throw new Error(`no module for ${file}`);
  return load();
}

/** Everything an action could change, to prove a refused request changed nothing. */
async function state() {
  const [activities, reports, items, ratings, periods, indicators, targets, values, uploads, users, counterparts, sisterCities, files, reminders, audit] = await Promise.all([
    db.selectFrom("activities").select(["id", "title", "version", "deleted_at", "organization_id"]).orderBy("id").execute(),
    db.selectFrom("period_reports").select(["id", "status", "version"]).orderBy("id").execute(),
    db.selectFrom("report_items").selectAll().orderBy("id").execute(),
    db.selectFrom("plan_item_ratings").selectAll().orderBy("id").execute(),
    db.selectFrom("reporting_periods").selectAll().orderBy("id").execute(),
    db.selectFrom("indicators").select(["id", "code", "name_zh", "target_value"]).orderBy("id").execute(),
    db.selectFrom("indicator_period_targets").selectAll().orderBy("indicator_id").orderBy("period_id").execute(),
    db.selectFrom("indicator_values").select(["id", "value", "organization_id", "period_id"]).orderBy("id").execute(),
    db.selectFrom("activity_imports").select(["id", "status"]).orderBy("id").execute(),
    db.selectFrom("users").select(["id", "locale", "disabled_at"]).orderBy("id").execute(),
    db.selectFrom("counterparts").select(["id", "name_zh", "name_en", "merged_into"]).orderBy("id").execute(),
    db.selectFrom("sister_cities").select(["id", "stage", "letter_of_intent_on"]).orderBy("id").execute(),
    db.selectFrom("evidence_files").select(["id", "deleted_at"]).orderBy("id").execute(),
    db.selectFrom("report_reminders").selectAll().orderBy("id").execute(),
    db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { activities, reports, items, ratings, periods, indicators, targets, values, uploads, users, counterparts, sisterCities, files, reminders, audit: Number(audit.n) };
}

function expected(e: PerUnit, where: Where): Expect {
  return typeof e === "object" ? e[where] : e;
}

function assertAnswer(response: Response, want: Expect, label: string) {
  if (want === LOGIN) {
    expect(response.status, label).toBe(302);
    expect(response.headers.get("Location"), label).toMatch(/^\/login\?redirectTo=/);
  } else {
    expect(response.status, label).toBe(want);
  }
}

describe("authorization matrix: every route × every role × own unit / another unit", () => {
  it("lists every file in app/routes, and only those", () => {
    const files = readdirSync("app/routes").filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
    const unlisted = files.filter((f) => !Object.hasOwn(ROUTES, f));
    const gone = Object.keys(ROUTES).filter((f) => !files.includes(f));
    if (unlisted.length) {
      throw new Error(
        `Routes without a line in ROUTES (tests/integration/authorization-matrix.test.ts): ${unlisted.join(", ")}.\n` +
          "Add, for each, what every role gets from its loader (and action), e.g.:\n\n" +
          unlisted.map(lineToAdd).join("\n") +
          "\n\nExpectations per role: anonymous, reporter (xsbn, 西双版纳州), leader (xsbn_leader), reviewer, official, admin;" +
          ' a number is the status, "login" a redirect to sign in, { own, other } when a row of 西双版纳州 and one of 昆明市' +
          " get different answers. An action route also keeps its `// authz-covers:` marker in some authorization test.",
      );
    }
    expect(gone, "ROUTES lists route files that no longer exist: remove their lines").toEqual([]);
  });

  for (const [file, spec] of Object.entries(ROUTES)) {
    const wheres: Where[] = spec.perUnit ? ["own", "other"] : ["own"];
    for (const who of ROLES) {
      const loaderWants = wheres.map((w) => `${spec.perUnit ? `${w} ` : ""}${expected(spec.loader[who], w)}`).join(", ");
      it(`${file} loader: ${who} → ${loaderWants}`, async () => {
        const route = await moduleOf(file);
        const cookie = USERS[who] ? await sessionCookieFor(USERS[who]!) : undefined;
        for (const where of wheres) {
          const { path, ...options } = await spec.target(where);
          const response = await call(route.loader, path, { ...options, cookie });
          assertAnswer(response, expected(spec.loader[who], where), `${file} GET ${path} as ${who} (${where} unit)`);
        }
      });

      const action = spec.action;
      if (!action) continue;
      const actionWants = wheres.map((w) => `${spec.perUnit ? `${w} ` : ""}${expected(action.expect[who], w)}`).join(", ");
      it(`${file} action: ${who} → ${actionWants}`, async () => {
        const route = await moduleOf(file);
        for (const where of wheres) {
          const cookie = USERS[who] ? await sessionCookieFor(USERS[who]!) : undefined;
          const target = await spec.target(where);
          const { path, ...options } = target;
          const form = await action.form(where, target, who);
          const want = expected(action.expect[who], where);
          const label = `${file} POST ${path} as ${who} (${where} unit)`;
          const before = await state();
          const response = await call(route.action, path, { ...options, form, cookie });
          assertAnswer(response, want, label);
          const after = await state();
          const silent = action.writesNothing === true || (Array.isArray(action.writesNothing) && action.writesNothing.includes(who));
          const allowed = want !== LOGIN && want < 400 && !silent;
          if (allowed) expect(after, `${label}: should have written`).not.toEqual(before);
          else expect(after, `${label}: refused, must change nothing`).toEqual(before);
        }
      });
    }
  }

  it("every write action posted cross-site with a valid session → 403, nothing changed", async () => {
    for (const [file, spec] of Object.entries(ROUTES)) {
      if (!spec.action || spec.action.writesNothing) continue;
      const route = await moduleOf(file);
      const target = await spec.target("own");
      const { path, ...options } = target;
      const form = await spec.action.form("own", target, "reporter");
      const before = await state();
      const response = await call(route.action, path, { ...options, form, cookie: await sessionCookieFor("xsbn"), origin: "https://evil.example" });
      expect(response.status, file).toBe(403);
      expect(await state(), file).toEqual(before);
    }
  });
});
