// Sessions live in the database; the browser holds only a signed, httpOnly, SameSite=Lax cookie with the id.
// A database row (not the cookie) is the truth, so signing out, expiry and disabling a user take effect at once,
// and several app instances on one database agree.
import { randomBytes } from "node:crypto";
import { createCookie, createSessionStorage } from "@remix-run/node";
import { db } from "./db.server";
import { env } from "./env.server";

const ttlSeconds = env.SESSION_TTL_HOURS * 3600;

export const sessionCookie = createCookie("lmc_session", {
  httpOnly: true,
  sameSite: "lax",
  secure: env.COOKIE_SECURE === "true",
  path: "/",
  secrets: [env.SESSION_SECRET],
  maxAge: ttlSeconds,
});

type SessionData = { userId: number };

export const sessionStorage = createSessionStorage<SessionData>({
  cookie: sessionCookie,
  async createData(data, expires) {
    const id = randomBytes(32).toString("hex");
    const now = new Date();
    // Sign-ins are rare enough to carry the clean-up of expired sessions.
    await db.deleteFrom("sessions").where("expires_at", "<", now.toISOString()).execute();
    await db
      .insertInto("sessions")
      .values({
        id,
        user_id: data.userId ?? 0,
        created_at: now.toISOString(),
        expires_at: (expires ?? new Date(now.getTime() + ttlSeconds * 1000)).toISOString(),
      })
      .execute();
    return id;
  },
  async readData(id) {
    const row = await db
      .selectFrom("sessions")
      .select(["user_id", "expires_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row || row.expires_at <= new Date().toISOString()) return null;
    return { userId: row.user_id };
  },
  async updateData(id, data, expires) {
    if (data.userId === undefined) return;
    await db
      .updateTable("sessions")
      .set({ user_id: data.userId, ...(expires ? { expires_at: expires.toISOString() } : {}) })
      .where("id", "=", id)
      .execute();
  },
  async deleteData(id) {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
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
