// `npm run bench`: runs every bench/*.bench.ts, one after the other, each in its own Node process (with tsx).
// Each benchmark prints its table and writes its own section of bench/results/latest.md.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`✗ ${file} exited with ${result.status ?? result.signal}`);
  }
}
if (files.length === 0) console.log("no bench/*.bench.ts found");
process.exit(failed ? 1 : 0);
