// Documents are checked the way an office prints them: LibreOffice (soffice) converts them to PDF. CI installs it
// (.ci/run) and must print; a developer's machine without it skips the printing, with a note, and nothing else.
import { execFileSync } from "node:child_process";
import { basename, join } from "node:path";

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

/** A word of a printed page as poppler reads it back: its box in points from the page's top left. */
export interface PrintedWord {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

export interface Printed {
  pdf: string;
  pages: number;
  /** the page size in points (A4 portrait 595 × 842) */
  width: number;
  height: number;
  words: PrintedWord[];
  /** the printed text with every white space taken out, for asking whether a text was printed whole */
  text: string;
}

/**
 * Prints the documents (.xlsx, .docx) to PDF with one LibreOffice start, in its own profile under `dir` (so
 * conversions running at the same time do not share one), and reads each PDF back with poppler (pdfinfo,
 * pdftotext -bbox and -raw).
 */
export function printWithLibreOffice(files: string[], dir: string): Map<string, Printed> {
  execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "lo-profile")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, ...files], {
    stdio: "ignore",
    timeout: 180_000,
  });
  const out = new Map<string, Printed>();
  for (const file of files) {
    const pdf = join(dir, basename(file).replace(/\.[^.]+$/, ".pdf"));
    const info = execFileSync("pdfinfo", [pdf]).toString();
    const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
    const words: PrintedWord[] = [];
    execFileSync("pdftotext", ["-bbox", pdf, "-"])
      .toString()
      .split("<page ")
      .slice(1)
      .forEach((page, i) => {
        for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g))
          words.push({ page: i + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
      });
    out.set(file, {
      pdf,
      pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0),
      width: Number(width),
      height: Number(height),
      words,
      text: execFileSync("pdftotext", ["-raw", pdf, "-"]).toString().replace(/\s+/g, ""),
    });
  }
  return out;
}

const CHINESE = /[\u3400-\u9fff]/;

/**
 * The printed size (pt) of each word with Chinese in it, smallest first. LibreOffice prints Chinese in the Noto CJK
 * faces, whose word boxes poppler makes 1.3 em tall (its ascent 0.95 + descent 0.35): a box 13 pt tall is 10 pt
 * text. (Latin words are left out: their boxes follow their own fonts' metrics.)
 */
export function chineseTextSizes(printed: Printed): number[] {
  return printed.words
    .filter((w) => CHINESE.test(w.text))
    .map((w) => (w.yMax - w.yMin) / 1.3)
    .sort((a, b) => a - b);
}
