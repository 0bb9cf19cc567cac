// `npm run db:reset`: deletes the local database file (and its WAL files); db:setup then recreates it.
// On PostgreSQL (DATABASE_URL) nothing is deleted from here: recreate the database with PostgreSQL's own tools
// (dropdb/createdb, or DROP DATABASE … / CREATE DATABASE …), then run `npm run db:setup`.
import { rmSync } from "node:fs";
import { env } from "../app/utils/env.server";

if (env.DATABASE_URL) {
  console.error("DATABASE_URL is set: db:reset only deletes a SQLite file. Recreate the PostgreSQL database with dropdb/createdb, then run `npm run db:setup`.");
  process.exit(1);
}
if (env.DATABASE_PATH !== ":memory:") {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(env.DATABASE_PATH + suffix, { force: true });
  console.log(`removed ${env.DATABASE_PATH}`);
}
