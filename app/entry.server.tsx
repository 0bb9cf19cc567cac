import { Transform } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { DEFAULT_LOCALE } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import styles from "~/styles/app.css";
import { db } from "~/utils/db.server";
import { errorText } from "~/utils/error-text";
import { getLocale } from "~/utils/locale.server";
import { env } from "~/utils/env.server";
import { NonceProvider } from "~/utils/nonce";
import { type Readiness, readiness } from "~/utils/readiness.server";
import type { Refusal } from "~/utils/request-guard.server";
import { newNonce, setSecurityHeaders, withSecurityHeaders } from "~/utils/security-headers.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  // One nonce per page: the inline scripts Remix and React write carry it, and nothing else may run inline.
  const nonce = newNonce();
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [callbackName]: () => {
          shellRendered = true;
          const body = withoutNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          setSecurityHeaders(responseHeaders, nonce);
          // A body refused unread (assertAcceptableWrite) leaves the connection unusable for another request.
          if ([411, 413, 415].includes(responseStatusCode)) responseHeaders.set("Connection", "close");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * The HTML stream without the NUL bytes React 18.3's renderToPipeableStream leaves in it: when a Chinese character
 * does not fit at the end of its 2 KB buffer, it writes the whole buffer, unused bytes included ("版\0纳",
 * "逾\0\0期"; react-dom-server.node writeStringChunk). No byte is lost, so dropping every 0x00 gives the page as
 * rendered; HTML never carries a real NUL (the parser turns it into U+FFFD, the "�" users saw).
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.indexOf(0) === -1) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) out[n++] = chunk[i]!;
      done(null, out.subarray(0, n));
    },
  });
}

export function handleDataRequest(response: Response) {
  return withSecurityHeaders(response);
}

// What server.ts asks of the build besides handling requests: it reaches them as build.entry.module, so the
// server and the app share one database pool and one set of translations.

/** Why the database cannot be used, in one sentence, or null when it answers. Called once at start. */
export async function startupProblem(): Promise<string | null> {
  // the secret that signs session cookies is asked for here, at start, not on the first sign-in
  try {
    if (!env.SESSION_SECRET) return "SESSION_SECRET is empty";
  } catch (error) {
    return (error as Error).message;
  }
  const state = await readiness(db);
  return !state.ready && state.problem === "database" ? state.detail : null;
}

export function instanceReadiness(): Promise<Readiness> {
  return readiness(db);
}

/** Closes the database pool (SQLite file or PostgreSQL connections) when the server stops. */
export function closeDatabase(): Promise<void> {
  return db.destroy();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The answer to a write server.ts refuses before Remix runs (cross-site, too large, no length, not a form), in the
 * user's language: JSON for Remix's data requests (marked as a thrown response, so the app's error boundary shows
 * it as for any refusal) and for clients that do not ask for HTML; otherwise a page with the error boundary's words.
 */
export async function refusalResponse(request: Request, refusal: Refusal): Promise<Response> {
  let locale = DEFAULT_LOCALE;
  try {
    locale = await getLocale(request);
  } catch {
    // the database is away: the default language will do for a refusal
  }
  const t = translator(locale);
  const { status, ...data } = refusal;
  const { message, detail } = errorText(t, status, data);
  const url = new URL(request.url);
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (url.searchParams.has("_data") || !/text\/html|\*\/\*/.test(request.headers.get("Accept") ?? "*/*")) {
    headers.set("Content-Type", "application/json; charset=utf-8");
    if (url.searchParams.has("_data")) headers.set("X-Remix-Catch", "yes");
    return new Response(JSON.stringify({ ...data, message: detail ?? message }), { status, headers });
  }
  headers.set("Content-Type", "text/html; charset=utf-8");
  const title = `${status} · ${t("error.title")}`;
  const html = `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${escapeHtml(styles)}"></head>
<body><main><div class="error-page" role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${
    detail ? `<p>${escapeHtml(detail)}</p>` : ""
  }<p><a href="/">${escapeHtml(t("error.home"))}</a></p></div></main></body></html>`;
  return new Response(html, { status, headers });
}
