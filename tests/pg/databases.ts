// Creating and dropping the test databases of the PostgreSQL run, through the cluster's maintenance database.
import pg from "pg";

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database once its connections are gone. A pool's destroy() resolves before the server has seen
 * every connection close, so the drop waits for them a little instead of killing them (which their clients would
 * report as errors); whatever is still connected after that is ended with FORCE.
 */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006") throw error; // 55006: still being accessed by other users
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
