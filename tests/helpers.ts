// Calling loaders and actions the way Remix does: with real Requests (cookies, form bodies, Origin headers).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { counterpartNames } from "~/domain/counterparts";
import { createActivity } from "~/models/activity.server";
import { db } from "~/utils/db.server";
import { requireUser } from "~/utils/auth.server";
import { startSession } from "~/utils/session.server";

export const BASE = "http://localhost:3000";

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown> | unknown;

/** "name=value" for the Cookie header of a fresh session of the named demo user. */
export async function sessionCookieFor(username: string): Promise<string> {
  const user = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  const setCookie = await startSession(user.id);
  return setCookie.split(";")[0]!;
}

export function formBody(fields: Record<string, string | number | (string | number)[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, String(v));
  }
  return body;
}

export interface CallOptions {
  cookie?: string;
  method?: string;
  form?: Record<string, string | number | (string | number)[]> | URLSearchParams;
  origin?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
}

export function makeRequest(path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  if (options.origin) headers.set("Origin", options.origin);
  const method = options.method ?? (options.form ? "POST" : "GET");
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = options.form instanceof URLSearchParams ? options.form : formBody(options.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(new URL(path, BASE), { method, headers, body });
}

/**
 * Runs a loader or action and always returns a Response: thrown Responses (redirects, 403, 404) are caught the
 * way Remix catches them. Anything else thrown is a bug (it would be a 500) and fails the test.
 */
export async function call(handler: Handler | undefined, path: string, options: CallOptions = {}): Promise<Response> {
  if (!handler) throw new Error("route has no such export");
  try {
    const result = await handler({ request: makeRequest(path, options), params: options.params ?? {}, context: {} });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { status: 200, headers: { "Content-Type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The signed-in user a request of `username` carries (what a route's requireUser answers). */
export async function signedInUser(username: string) {
  return requireUser(makeRequest("/", { cookie: await sessionCookieFor(username) }));
}

export async function idOfSeed(key: string): Promise<number> {
  const row = await db.selectFrom("activities").select("id").where("seed_key", "=", key).executeTakeFirstOrThrow();
  return row.id;
}

export async function unitId(code: string): Promise<number> {
  const row = await db.selectFrom("organizations").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return row.id;
}

/** A complete, valid activity form for the given unit; override any field. */
export async function validActivityForm(unitCode: string, overrides: Record<string, string | string[]> = {}) {
  return {
    organization_id: String(await unitId(unitCode)),
    title: "勐腊县赴老挝南塔省开展农业技术交流",
    type: "outbound_visit",
    status: "completed",
    start_date: "2024-03-05",
    end_date: "2024-03-08",
    primary_plan_item: "4.2.5",
    plan_items: ["5.4"],
    countries: ["LA"],
    // a body of the counterpart register: a name it does not know would bring the form back with a question
    counterpart_body: "老挝南塔省",
    location: "老挝南塔省",
    delegations_count: "1",
    participants_count: "6",
    funding_wan: "12.5",
    funding_source: "州级财政",
    outcome: "签署农业技术合作纪要1份。",
    evidence_label: ["新闻报道"],
    evidence_url: ["https://example.org/news/1"],
    ...overrides,
  };
}

/**
 * The activity form's answers keeping every name of a 对方机构 text as words only: what a reporter answers when the
 * form asks about names the counterpart register does not know (answers for names it knows are ignored).
 */
export function counterpartAsWords(text: string): Record<string, string | string[]> {
  const names = counterpartNames(text);
  return Object.fromEntries([["counterpart_name", names], ...names.map((_, i) => [`counterpart_choice_${i}`, "text"])]);
}

/** An activity of the unit (plan item 4.3.1, 2024-04-13), logged directly; in the recycle bin if `deleted`. */
export async function seedActivity(unitCode: string, options: { title?: string; deleted?: boolean } = {}): Promise<number> {
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow();
  const id = await createActivity(
    db,
    {
      organizationId: await unitId(unitCode),
      title: options.title ?? "权限测试活动",
      type: "festival",
      startDate: "2024-04-13",
      endDate: "2024-04-15",
      status: "completed",
      primaryPlanItemId: item.id,
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: "",
      location: "",
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
    },
    null,
  );
  if (options.deleted) await db.updateTable("activities").set({ deleted_at: new Date().toISOString() }).where("id", "=", id).execute();
  return id;
}
