// Where a link may send the user after signing in or switching language: a path of this site, nothing else.
// Browsers strip tabs and line breaks inside URLs and read a backslash as a slash, so "/\tevil.com" and "/\evil.com"
// are refused along with "//evil.com"; the target is parsed as a URL against a fixed origin and must stay on it.
// What comes back is the parsed URL's own path, query and fragment, percent-encoded, so it is always a valid
// Location header (a raw "/报告" or "/a\r\nSet-Cookie:" would not be).

const ORIGIN = "http://lmc.invalid";
// Control characters (tab, CR, LF included) and backslashes anywhere in the target
const REFUSED = /[\u0000-\u001F\u007F\\]/;

export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || REFUSED.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  return target.startsWith("//") ? fallback : target;
}
