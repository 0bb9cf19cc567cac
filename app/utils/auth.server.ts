// Who is acting, and what they may do. Every loader and action starts here; rules are checked on the row.
import { json, redirect } from "@remix-run/node";
import type { User } from "../../db/schema";
import { type Ability, can } from "./permissions";
import { getUserById } from "~/models/user.server";
import { db } from "./db.server";
import { type Refusal, closesConnection, crossSiteRefusal, isWrite, writeRefusal } from "./request-guard.server";
import { sessionStorage } from "./session.server";

export { FORM_MAX_BYTES, UPLOAD_MAX_BYTES } from "./request-guard.server";

export type SessionUser = Pick<
  User,
  "id" | "username" | "display_name" | "role" | "organization_id" | "locale" | "must_change_password"
> & {
  organization_path: string;
  organization_name_zh: string;
  organization_name_en: string;
};

export async function getUser(request: Request): Promise<SessionUser | null> {
  const session = await sessionStorage.getSession(request.headers.get("Cookie"));
  const userId = session.get("userId");
  if (typeof userId !== "number") return null;
  const user = await getUserById(db, userId);
  if (!user || user.disabled_at) return null;
  return user;
}

/**
 * The signed-in user, or a redirect to the sign-in page. For anything but GET/HEAD it first refuses cross-site
 * posts (the SameSite cookie already keeps them unauthenticated; the Origin/Referer check is the second lock, and
 * server.ts makes the same check before Remix runs) and oversized or unreadable bodies, before anything reads them.
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  assertAcceptableWrite(request);
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  // A temporary password set by an administrator is replaced before anything else is done with the account.
  if (user.must_change_password && new URL(request.url).pathname !== CHANGE_PASSWORD_PATH) {
    throw redirect(CHANGE_PASSWORD_PATH);
  }
  return user;
}

export const CHANGE_PASSWORD_PATH = "/account/password";

/**
 * The signed-in user holding the ability (utils/permissions.ts), or 403 — for the pages and actions that belong to
 * one kind of user (administration, review). Row-level checks use requireCan once the row is loaded.
 */
export async function requirePermission(request: Request, ability: Ability, target?: { organization_path: string }): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user, ability, target)) throw forbidden();
  return user;
}

/** Raised as the action's answer: the same reason and status server.ts gives before Remix runs. */
function refuse(refusal: Refusal): never {
  const { status, ...data } = refusal;
  // The body of a refused request is never read, so the connection cannot carry another request: the client is
  // told to open a new one instead of reusing it.
  throw json(data, { status, headers: closesConnection(refusal) ? { Connection: "close" } : undefined });
}

function requestRefusal(request: Request): Refusal | null {
  const url = new URL(request.url);
  return writeRefusal({
    method: request.method,
    pathname: url.pathname,
    urlHost: url.host,
    header: (name) => request.headers.get(name),
    hasBody: request.body !== null,
    // Loaders and actions called without our server (tests, scripts) may name no source; server.ts refuses those.
    requireSource: false,
  });
}

/** Refuses a cross-site write with 403 (Origin, else Referer; see request-guard.server). */
export function assertSameOrigin(request: Request): void {
  if (!isWrite(request.method)) return;
  const url = new URL(request.url);
  const refusal = crossSiteRefusal((name) => request.headers.get(name), url.host, false);
  if (refusal) refuse(refusal);
}

/**
 * The checks every write (non-GET) request passes before its action reads it: same site, a declared length within
 * its route's limit (1 MB; the import 20 MB), and a form body. server.ts makes the same checks before Remix runs;
 * this is the same rule inside every action, so an action is never the one place a check is missing.
 */
export function assertAcceptableWrite(request: Request): void {
  const refusal = requestRefusal(request);
  if (refusal) refuse(refusal);
}

export function forbidden(reason = "forbidden"): Response {
  return json({ reason }, { status: 403 });
}

export function notFound(): Response {
  return json({ reason: "not_found" }, { status: 404 });
}

export function badRequest(reason = "bad_request"): Response {
  return json({ reason }, { status: 400 });
}

export { can, withinUnit } from "./permissions";

/** 403 unless the user may do this to the row (its unit): the server's half of the one permission table. */
export function requireCan(user: SessionUser, ability: Ability, thing: { organization_path: string }): void {
  if (!can(user, ability, thing)) throw forbidden();
}
