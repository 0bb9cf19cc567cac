// Documents are checked the way an office prints them: LibreOffice (soffice) converts them to PDF. CI installs it
// (.ci/run) and must print; a developer's machine without it skips the printing, with a note, and nothing else.
import { execFileSync } from "node:child_process";

/** Whether soffice runs here. Under CI=true its absence is an error, not a skip. */
export function sofficeAvailable(what: string): boolean {
  let available = false;
  try {
    execFileSync("soffice", ["--version"], { stdio: "ignore", timeout: 60_000 });
    available = true;
  } catch {
    available = false;
  }
  if (!available && process.env.CI === "true") throw new Error(`soffice (LibreOffice) is required under CI to print ${what}`);
  if (!available) console.warn(`soffice is not installed here: ${what} are not printed and checked`);
  return available;
}
