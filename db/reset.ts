// `npm run db:reset`: deletes the local database file (and its WAL files); db:setup then recreates it.
import { rmSync } from "node:fs";
import { env } from "../app/utils/env.server";

if (env.DATABASE_PATH !== ":memory:") {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(env.DATABASE_PATH + suffix, { force: true });
  console.log(`removed ${env.DATABASE_PATH}`);
}
