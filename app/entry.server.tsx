import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/utils/nonce";
import { newNonce, setSecurityHeaders, withSecurityHeaders } from "~/utils/security-headers.server";

const ABORT_DELAY = 5_000;

// Remix's own cross-site guard (throwIfPotentialCSRFAttack in @remix-run/server-runtime) runs only for document
// POSTs, before any action, and its refusal is a bare 500 with an empty body that remix-serve gives us no way to
// answer differently. Our own check (assertAcceptableWrite, run by requireUser and by every action that works
// without a session) already guards the same POSTs, and is the only guard for the data and resource requests
// Remix never checks; it answers 403 with a page in the user's language. So Remix's duplicate steps aside.
// tests/e2e/security.test.ts proves a cross-site document POST gets our 403 from the built server; if a Remix
// upgrade renames the function this no longer applies (a warning says so) and such a POST is a 500 again.
(function letOurOriginCheckAnswer() {
  try {
    const actions = createRequire(import.meta.url)("@remix-run/server-runtime/dist/actions.js") as Record<string, unknown>;
    if (typeof actions.throwIfPotentialCSRFAttack === "function") actions.throwIfPotentialCSRFAttack = () => {};
    else console.warn("Remix's cross-site guard not found: cross-site form posts will be answered with 500, not 403");
  } catch {
    console.warn("Remix's cross-site guard not found: cross-site form posts will be answered with 500, not 403");
  }
})();

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
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          setSecurityHeaders(responseHeaders, nonce);
          // A body refused unread (assertBodySize) leaves the connection unusable for another request.
          if (responseStatusCode === 411 || responseStatusCode === 413) responseHeaders.set("Connection", "close");
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

export function handleDataRequest(response: Response) {
  return withSecurityHeaders(response);
}
