// A long job on the thread that answers requests — an import's steps, the storing of a preview's rows — gives way to
// others between its steps (docs/decisions/022-imports-staged-in-short-transactions.md, its addenda).
import { type DB, queriesAnswered } from "./db.server";
import { requestsInFlight } from "./requests-in-flight.server";

/** The job's breath between steps, and how long it waits at a time while others are answered. */
const BREATH_MS = 2;
const PAUSE_MS = 10;
/** A job gives way at most as long as its step took, and at most this. */
const PAUSE_MAX_MS = 100;

/** Jobs under way in this process that hold a request of their own (an import answers its POST when done). */
let jobsHoldingRequests = 0;

/** Runs a job that answers its own request when done: that request is not one of the others it gives way to. */
export async function holdingRequest<T>(job: () => Promise<T>): Promise<T> {
  jobsHoldingRequests++;
  try {
    return await job();
  } finally {
    jobsHoldingRequests--;
  }
}

/**
 * Lets others go first between two steps of a job. A page runs its queries one after another, with reads of the
 * request, signature checks and writes of the response between them: after a mere turn of the event loop
 * (setImmediate) the job's next step got in before each of them (a signed-in list page answered in 8 s during a
 * 50,000-row import; with three files going in, pages were still ten times slower), while a fixed pause after every
 * step slowed an import on an idle server (10 ms cost a 50,000-row import 2 s). So after every step the job takes a
 * short timer pause (BREATH_MS), and while other requests are being answered (requestsInFlight, counted by the
 * server, less the jobs' own) it waits on, PAUSE_MS at a time, up to as long as its step took: while others wait it
 * holds the thread at most about half the time, and otherwise it goes on at once. Where nothing counts requests
 * (the app's functions called in a test or a benchmark) others are seen by their queries answered meanwhile.
 */
export function courtesyOf(db: DB): (stepMs: number) => Promise<void> {
  return async function yieldToOthers(stepMs: number): Promise<void> {
    const started = performance.now();
    const budget = Math.min(PAUSE_MAX_MS, Math.max(PAUSE_MS, stepMs));
    let seen = queriesAnswered(db);
    await pause(BREATH_MS);
    const othersWaiting = (): boolean => {
      const inFlight = requestsInFlight();
      if (inFlight !== null) return inFlight > jobsHoldingRequests;
      const now = queriesAnswered(db);
      const answered = seen === null || now !== seen;
      seen = now;
      return answered;
    };
    while (othersWaiting() && performance.now() - started < budget) await pause(PAUSE_MS);
  };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
