// Who is acting, and what they may do. Every loader and action starts here; rules are checked on the row.
import { json, redirect } from "@remix-run/node";
import type { Role, User } from "../../db/schema";
import { getUserById } from "~/models/user.server";
import { db } from "./db.server";
import { sessionStorage } from "./session.server";

export type SessionUser = Pick<User, "id" | "username" | "display_name" | "role" | "organization_id" | "locale"> & {
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
 * The signed-in user, or a redirect to the sign-in page. For anything but GET/HEAD it also refuses cross-site
 * posts: the SameSite cookie already keeps them unauthenticated, and the Origin check is the second lock.
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export function assertSameOrigin(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("Origin");
  // Browsers send Origin on every cross-site POST; requests without it (curl, old clients) carry no ambient
  // credentials from another site, so they are allowed.
  if (!origin) return;
  const url = new URL(request.url);
  const forwardedHost = request.headers.get("X-Forwarded-Host");
  const host = forwardedHost ?? request.headers.get("Host") ?? url.host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden();
  }
  if (originHost !== host && originHost !== url.host) throw forbidden();
}

export function forbidden(): Response {
  return json({ reason: "forbidden" }, { status: 403 });
}

export function notFound(): Response {
  return json({ reason: "not_found" }, { status: 404 });
}

export function badRequest(reason = "bad_request"): Response {
  return json({ reason }, { status: 400 });
}

/** Is the unit at `path` the user's own unit or one below it? Paths are "/1/12/40/". */
export function withinUnit(user: Pick<SessionUser, "organization_path">, organizationPath: string): boolean {
  return organizationPath.startsWith(user.organization_path);
}

export type ActivityAction = "read" | "create" | "edit" | "delete" | "restore";

/**
 * The one authorization rule for activities: everyone signed in reads; only reporters write, and only for
 * their own unit and the units below it. Reviewers, officials and administrators never edit the ledger.
 */
export function can(
  user: SessionUser,
  action: ActivityAction,
  thing: { organization_path: string },
): boolean {
  if (action === "read") return true;
  return user.role === "reporter" && withinUnit(user, thing.organization_path);
}

export function requireCan(user: SessionUser, action: ActivityAction, thing: { organization_path: string }): void {
  if (!can(user, action, thing)) throw forbidden();
}
