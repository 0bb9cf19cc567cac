// Who is acting, and what they may do. Every loader and action starts here; rules are checked on the row.
import { json, redirect } from "@remix-run/node";
import type { Role, User } from "../../db/schema";
import { getUserById } from "~/models/user.server";
import { IMPORT_MAX_BYTES } from "~/schemas/activity-import";
import { db } from "./db.server";
import { sessionStorage } from "./session.server";

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
 * the only one since Remix's own steps aside, see entry.server) and oversized bodies, before anything reads them.
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

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export function assertSameOrigin(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  // Browsers send Origin on every cross-site POST; when it is missing (old browsers, some privacy settings) the
  // Referer says where the form was. Requests with neither (curl, scripts) carry no ambient credentials from
  // another site, so they are allowed. "Origin: null" (sandboxed frames, data: URLs) is refused.
  const source = request.headers.get("Origin") ?? request.headers.get("Referer");
  if (!source) return;
  const url = new URL(request.url);
  const forwardedHost = request.headers.get("X-Forwarded-Host")?.split(",")[0]?.trim();
  const host = forwardedHost || request.headers.get("Host") || url.host;
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    throw forbidden("cross_site");
  }
  if (sourceHost !== host && sourceHost !== url.host) throw forbidden("cross_site");
}

/** Request bodies larger than this are refused before they are read: forms are small. */
export const FORM_MAX_BYTES = 1024 * 1024;
/**
 * Multipart bodies carry the spreadsheet import. Up to twice its file limit the import answers itself, beside its
 * form (it knows the file is too large); beyond that the body is refused here, unread.
 */
export const UPLOAD_MAX_BYTES = 2 * IMPORT_MAX_BYTES;

// The body of a refused request is never read, so the connection cannot carry another request: the client is
// told to open a new one instead of reusing it.
const REFUSED_UNREAD = { Connection: "close" };

/**
 * Refuses a body that is too large (413) or whose length is not declared (411), before anything reads it. Node's
 * HTTP parser never hands on more bytes than Content-Length says, so the header is a real cap; a chunked body has
 * no length to check up front, and no browser form needs one.
 */
export function assertBodySize(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const length = request.headers.get("Content-Length");
  if (length === null) {
    if (/chunked/i.test(request.headers.get("Transfer-Encoding") ?? "")) {
      throw json({ reason: "length_required" }, { status: 411, headers: REFUSED_UNREAD });
    }
    return;
  }
  const multipart = (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
  const max = multipart ? UPLOAD_MAX_BYTES : FORM_MAX_BYTES;
  if (!/^\d{1,15}$/.test(length.trim()) || Number(length) > max) {
    // the limit a user can act on: the file size for uploads, the form size otherwise
    const maxMb = (multipart ? IMPORT_MAX_BYTES : FORM_MAX_BYTES) / 1024 / 1024;
    throw json({ reason: "too_large", max_mb: maxMb }, { status: 413, headers: REFUSED_UNREAD });
  }
}

/** The checks every write (non-GET) request passes before its action reads it: same site, and a sane size. */
export function assertAcceptableWrite(request: Request): void {
  assertSameOrigin(request);
  assertBodySize(request);
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
