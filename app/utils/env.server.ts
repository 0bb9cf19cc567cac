// Configuration, validated once at start. Defaults let `npm start` run on a fresh machine with no setup.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("data/lmc.db"),
  /** postgres://user:password@host:5432/db — when set, the app runs on PostgreSQL and DATABASE_PATH is unused */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//i.test(v), "must be a postgres:// or postgresql:// URL"),
  /** Connections each instance keeps to PostgreSQL; instances × this must stay below the server's max_connections */
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  SESSION_SECRET: z.string().min(32).optional(),
  COOKIE_SECURE: z.enum(["true", "false"]).default("false"),
  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(12),
  /** a session not used for this long is ended, even within its TTL */
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
  /** "true" only behind a reverse proxy that sets X-Forwarded-For: then sign-in failures also count per address */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string };

function loadEnv(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const env = parsed.data;
  // On PostgreSQL several instances usually serve the same database: they must all sign cookies with one secret,
  // so a per-machine generated secret would log users out whenever the load balancer switches instance. The
  // secret is asked for when something signs a cookie (the server, at start), not by every script: db:migrate,
  // db:seed and user:create-admin run with an instance's environment and need none.
  const required = Boolean(env.DATABASE_URL && env.NODE_ENV === "production" && !env.SESSION_SECRET);
  let secret = env.SESSION_SECRET;
  return Object.defineProperty({ ...env }, "SESSION_SECRET", {
    enumerable: true,
    get(): string {
      if (secret) return secret;
      if (required) {
        throw new Error("Invalid environment: SESSION_SECRET (≥ 32 characters, the same on every instance) is required when DATABASE_URL is set");
      }
      return (secret = localSecret(env.DATABASE_PATH));
    },
  }) as Env;
}

// Without SESSION_SECRET, a random secret is kept beside the database file, so sessions survive restarts of a
// single-office install; deployments with several instances must set SESSION_SECRET (see README).
function localSecret(databasePath: string): string {
  if (databasePath === ":memory:") return randomBytes(32).toString("hex");
  const file = resolve(dirname(databasePath), ".session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const env: Env = loadEnv();
