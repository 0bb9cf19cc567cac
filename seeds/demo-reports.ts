// Seeds demo period reports taken from the reference documents. Idempotent.
import type { DB } from "~/utils/db.server";

export async function seedDemoReports(_db: DB): Promise<void> {
  // filled in with the reports work
}
