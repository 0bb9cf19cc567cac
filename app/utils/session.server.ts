// Sessions live in the database; the browser holds only a signed, httpOnly, SameSite=Lax cookie with the id.
// A database row (not the cookie) is the truth, so signing out, expiry and disabling a user take effect at once,
// and several app instances on one database agree. The row holds the SHA-256 of the id, never the id itself: a
// copy of the database (a backup, a leaked dump) holds no session anyone can present.
import { randomBytes } from "node:crypto";
import { type SessionStorage, createCookie, createSessionStorage } from "@remix-run/node";
import { sessionKey } from "~/models/session.server";
import { db } from "./db.server";
import { env } from "./env.server";

const ttlSeconds = env.SESSION_TTL_HOURS * 3600;
const idleMs = env.SESSION_IDLE_MINUTES * 60 * 1000;
// Writing "last seen" on every request would turn every page view into a write; once a minute is enough.
const TOUCH_EVERY_MS = 60 * 1000;

type SessionData = { userId: number };

// Made on first use, not when the module loads: the cookie is signed with SESSION_SECRET, which scripts that only
// touch the database (db:seed, user:create-admin) neither have nor need. The server asks for it at start
// (entry.server's startupProblem), so a missing secret still stops an instance before it listens.
let storage: SessionStorage<SessionData> | undefined;

function theStorage(): SessionStorage<SessionData> {
  return (storage ??= createStorage());
}

/** The session storage: its methods as Remix's, the storage itself made when first asked for. */
export const sessionStorage: SessionStorage<SessionData> = {
  getSession: (...args) => theStorage().getSession(...args),
  commitSession: (...args) => theStorage().commitSession(...args),
  destroySession: (...args) => theStorage().destroySession(...args),
};

const createStorage = () => createSessionStorage<SessionData>({
  cookie: createCookie("lmc_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.COOKIE_SECURE === "true",
    path: "/",
    secrets: [env.SESSION_SECRET],
    maxAge: ttlSeconds,
  }),
  async createData(data, expires) {
    const id = randomBytes(32).toString("hex");
    const now = new Date();
    // Sign-ins are rare enough to carry the clean-up of expired and idle sessions.
    await db
      .deleteFrom("sessions")
      .where((eb) =>
        eb.or([
          eb("expires_at", "<", now.toISOString()),
          eb("last_seen_at", "<", new Date(now.getTime() - idleMs).toISOString()),
        ]),
      )
      .execute();
    await db
      .insertInto("sessions")
      .values({
        id: sessionKey(id),
        user_id: data.userId ?? 0,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: (expires ?? new Date(now.getTime() + ttlSeconds * 1000)).toISOString(),
      })
      .execute();
    return id;
  },
  async readData(id) {
    const row = await db
      .selectFrom("sessions")
      .select(["user_id", "expires_at", "last_seen_at", "created_at"])
      .where("id", "=", sessionKey(id))
      .executeTakeFirst();
    if (!row) return null;
    const now = Date.now();
    const lastSeen = new Date(row.last_seen_at ?? row.created_at).getTime();
    if (row.expires_at <= new Date(now).toISOString() || now - lastSeen > idleMs) {
      // Past its TTL or idle too long: gone for good, not merely ignored.
      await db.deleteFrom("sessions").where("id", "=", sessionKey(id)).execute();
      return null;
    }
    if (now - lastSeen > TOUCH_EVERY_MS) {
      await db.updateTable("sessions").set({ last_seen_at: new Date(now).toISOString() }).where("id", "=", sessionKey(id)).execute();
    }
    return { userId: row.user_id };
  },
  async updateData(id, data, expires) {
    if (data.userId === undefined) return;
    await db
      .updateTable("sessions")
      .set({ user_id: data.userId, ...(expires ? { expires_at: expires.toISOString() } : {}) })
      .where("id", "=", sessionKey(id))
      .execute();
  },
  async deleteData(id) {
    await db.deleteFrom("sessions").where("id", "=", sessionKey(id)).execute();
  },
});

/** Starts a fresh session for the user (a new id on every sign-in) and returns its Set-Cookie header. */
export async function startSession(userId: number): Promise<string> {
  const session = await sessionStorage.getSession();
  session.set("userId", userId);
  return sessionStorage.commitSession(session, { expires: new Date(Date.now() + ttlSeconds * 1000) });
}

export async function endSession(request: Request): Promise<string> {
  const session = await sessionStorage.getSession(request.headers.get("Cookie"));
  return sessionStorage.destroySession(session);
}

/** The id of the session the request carries (valid or not), or null. */
export async function sessionIdOf(request: Request): Promise<string | null> {
  const session = await sessionStorage.getSession(request.headers.get("Cookie"));
  return session.id || null;
}

/**
 * Replaces the request's session with a fresh one for the user: the old id is deleted, so a copy of the old
 * cookie (fixed by an attacker, or left on a shared computer) is worth nothing. Returns the new Set-Cookie.
 */
export async function rotateSession(request: Request, userId: number): Promise<string> {
  const oldId = await sessionIdOf(request);
  if (oldId) await db.deleteFrom("sessions").where("id", "=", sessionKey(oldId)).execute();
  return startSession(userId);
}
