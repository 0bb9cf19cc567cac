// Seeds the plan's indicators (see seeds/data/indicators.ts). Idempotent: found by code, inserted when missing.
import type { DB } from "~/utils/db.server";

export async function seedIndicators(_db: DB): Promise<void> {
  // filled in with the indicators work
}
