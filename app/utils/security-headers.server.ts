// The security headers every response of the app carries: pages, data requests, downloads, error pages, static
// files. server.ts adds them to every response that lacks them (one place for all); a page sets its own, with a
// fresh script nonce each (entry.server); everything else gets the same policy with no script allowed at all.
import { randomBytes } from "node:crypto";

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy. Scripts: our own bundles, and the inline ones Remix writes (hydration context,
 * route modules, scroll restoration) only with this response's nonce. Styles: our stylesheet; style *attributes*
 * are allowed (React style={{…}} for a tree indent and chart heights), since they cannot run code. Chart.js draws
 * on canvas and needs nothing more.
 */
export function contentSecurityPolicy(nonce: string | null): string {
  return [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** The security headers, by name. server.ts puts them on every response that has not set its own. */
export function securityHeaders(nonce: string | null = null): [name: string, value: string][] {
  return [
    ["Content-Security-Policy", contentSecurityPolicy(nonce)],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
  ];
}

export function setSecurityHeaders(headers: Headers, nonce: string | null = null): void {
  for (const [name, value] of securityHeaders(nonce)) headers.set(name, value);
}

/** The same response with the security headers (for responses whose headers may be immutable). */
export function withSecurityHeaders(response: Response): Response {
  try {
    setSecurityHeaders(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    setSecurityHeaders(copy.headers);
    return copy;
  }
}
