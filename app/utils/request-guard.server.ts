// What a write (POST/PUT/PATCH/DELETE) must be before anything reads its body: from this site, of a declared and
// sane length, and a form. The rules live here once; server.ts applies them to every request before Remix runs,
// and assertAcceptableWrite (auth.server) applies the same rules inside every action, for loaders and actions
// called without our server (tests, a future adapter). Only plain values in, a refusal or null out: no Remix, no
// database, so the server can import this module on its own.
import { EVIDENCE_MAX_BYTES } from "../domain/evidence-files";
import { IMPORT_MAX_BYTES } from "../schemas/activity-import";

export type RefusalReason = "cross_site" | "length_required" | "too_large" | "unsupported_media_type";

export interface Refusal {
  status: 403 | 411 | 413 | 415;
  reason: RefusalReason;
  /** for too_large: the limit the user can act on, in MB */
  max_mb?: number;
}

/** Request bodies larger than this are refused before they are read: forms are small. */
export const FORM_MAX_BYTES = 1024 * 1024;
/**
 * The spreadsheet import (POST /imports, multipart) carries a file of up to IMPORT_MAX_BYTES. Up to twice that the
 * import answers itself, beside its form (it knows the file is too large); beyond that the body is refused unread.
 */
export const UPLOAD_MAX_BYTES = 2 * IMPORT_MAX_BYTES;
/** The one route that takes uploads. */
export const UPLOAD_PATH = "/imports";
/**
 * Evidence files (佐证材料) are uploaded to POST /files, up to EVIDENCE_MAX_BYTES each; as for the import, up to
 * twice that the route answers itself beside its form, beyond it the body is refused unread.
 */
export const EVIDENCE_UPLOAD_PATH = "/files";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isWrite(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/** The largest body a write to `pathname` may declare, and the limit to tell the user (in MB). */
export function bodyLimitFor(pathname: string): { maxBytes: number; maxMb: number } {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === UPLOAD_PATH) return { maxBytes: UPLOAD_MAX_BYTES, maxMb: IMPORT_MAX_BYTES / 1024 / 1024 };
  if (path === EVIDENCE_UPLOAD_PATH) return { maxBytes: 2 * EVIDENCE_MAX_BYTES, maxMb: EVIDENCE_MAX_BYTES / 1024 / 1024 };
  return { maxBytes: FORM_MAX_BYTES, maxMb: FORM_MAX_BYTES / 1024 / 1024 };
}

/** The headers the rules read, by lower-case name. */
export type HeaderLookup = (name: string) => string | null | undefined;

/**
 * A form must come from this site. Browsers send Origin on every POST; when it is missing (old browsers, some
 * privacy settings) the Referer says where the form was. "Origin: null" (sandboxed frames, data: URLs) is refused.
 * The public host is the first X-Forwarded-Host, else Host (a reverse proxy must pass one of them, see README),
 * else the URL's — the same comparison Remix's own guard makes, so nothing we let through is refused by it.
 * `requireSource`: refuse a write that names no source at all (the server does; a browser always names one).
 */
export function crossSiteRefusal(header: HeaderLookup, urlHost: string, requireSource: boolean): Refusal | null {
  const source = header("origin") ?? header("referer");
  if (!source) return requireSource ? { status: 403, reason: "cross_site" } : null;
  const forwardedHost = header("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwardedHost || header("host") || urlHost;
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    return { status: 403, reason: "cross_site" };
  }
  return sourceHost && sourceHost === host.toLowerCase() ? null : { status: 403, reason: "cross_site" };
}

/**
 * A body too large for its route (413), or whose length is not declared (411). Node's HTTP parser never hands on
 * more bytes than Content-Length says, so the header is a real cap; a chunked body has no length to check up
 * front, and no browser form needs one.
 */
export function bodySizeRefusal(header: HeaderLookup, pathname: string): Refusal | null {
  const length = header("content-length");
  const { maxBytes, maxMb } = bodyLimitFor(pathname);
  if (length === null || length === undefined) {
    return /chunked/i.test(header("transfer-encoding") ?? "") ? { status: 411, reason: "length_required" } : null;
  }
  if (!/^\d{1,15}$/.test(length.trim()) || Number(length) > maxBytes) return { status: 413, reason: "too_large", max_mb: maxMb };
  return null;
}

/**
 * Actions read forms: url-encoded, or multipart with its boundary. Anything else (text/plain, JSON, multipart
 * without a boundary, a body with no type) cannot be parsed as a form, and is refused 415 instead of failing
 * inside the action as a 500. A write with no body and no type (a bare sign-out) passes.
 */
export function contentTypeRefusal(header: HeaderLookup, hasBody: boolean): Refusal | null {
  const type = header("content-type")?.trim().toLowerCase();
  if (!type) return hasBody ? { status: 415, reason: "unsupported_media_type" } : null;
  const essence = type.split(";")[0]!.trim();
  if (essence === "application/x-www-form-urlencoded") return null;
  if (essence === "multipart/form-data" && /;\s*boundary=("?)[^";]+\1/.test(type)) return null;
  return { status: 415, reason: "unsupported_media_type" };
}

export interface WriteToCheck {
  method: string;
  pathname: string;
  urlHost: string;
  header: HeaderLookup;
  /** whether the request carries a body (declared length > 0, or chunked) */
  hasBody: boolean;
  requireSource: boolean;
}

/** The first rule a write breaks, or null (also for GET, HEAD and OPTIONS, which have no body to guard). */
export function writeRefusal(write: WriteToCheck): Refusal | null {
  if (!isWrite(write.method)) return null;
  return (
    crossSiteRefusal(write.header, write.urlHost, write.requireSource) ??
    bodySizeRefusal(write.header, write.pathname) ??
    contentTypeRefusal(write.header, write.hasBody)
  );
}

/** Refusals whose body was never read: the connection cannot carry another request. */
export function closesConnection(refusal: Refusal): boolean {
  return refusal.status === 411 || refusal.status === 413 || refusal.status === 415;
}
