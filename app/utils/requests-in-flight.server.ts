// How many requests the server is answering right now, counted by server.ts (from the moment one arrives until its
// response is finished or its connection closed): a long job on the thread that answers requests (an import's
// steps) gives way while others wait. Kept on globalThis under a registered symbol: server.ts and the app are
// bundled apart, and both must see the one count. A process that is not our server (a test calling the app's
// functions, a benchmark) counts nothing: requestsInFlight says null.
const COUNTER = Symbol.for("lmc.requestsInFlight");

interface Counter {
  inFlight: number;
}

const counter = (): Counter | undefined => (globalThis as { [COUNTER]?: Counter })[COUNTER];

/** Called by the server for every request it takes; `done` once its response is finished or its connection closed. */
export function requestArrived(): () => void {
  const c = ((globalThis as { [COUNTER]?: Counter })[COUNTER] ??= { inFlight: 0 });
  c.inFlight++;
  let counted = true;
  return () => {
    if (!counted) return;
    counted = false;
    c.inFlight--;
  };
}

/** The requests being answered now, or null when nothing counts them (not our server). */
export function requestsInFlight(): number | null {
  return counter()?.inFlight ?? null;
}
