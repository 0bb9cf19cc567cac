import { describe, expect, it } from "vitest";
import { en, enSingular } from "./en";

const CHINESE = /[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]/;

/**
 * English strings that quote Chinese on purpose: what a user may type in a spreadsheet or a form (the import and
 * its errors show the accepted Chinese forms), the unit 万元 named beside its English, the switch to Chinese
 * written in Chinese, and the name of the Chinese version of a document.
 */
const QUOTES_CHINESE = new Set([
  "locale.switch_to",
  "indicators.errors.unit_funding",
  "imports.accepts.headers",
  "imports.accepts.dates",
  "imports.accepts.amounts",
  "imports.accepts.counts",
  "imports.accepts.codes",
  "imports.error.date",
  "imports.error.funding",
  "imports.error.whole_number",
  "imports.template.how.delegations_count",
  "imports.template.how.participants_count",
  "imports.template.how.funding_wan",
  "drafts.zh_version",
]);

describe("the English catalog", () => {
  it("has no Chinese text or full-width punctuation, except where it quotes what a user writes in Chinese", () => {
    const mixed = Object.entries(en)
      .filter(([key, text]) => CHINESE.test(text) && !QUOTES_CHINESE.has(key))
      .map(([key, text]) => `${key}: ${text}`);
    expect(mixed).toEqual([]);
  });

  it("says “1 activity”, not “1 activities”: every count of a plural noun has its singular", () => {
    const catalog = en as Record<string, string>;
    const missing = Object.entries(catalog)
      .filter(([key, text]) => /\{count\} [a-z]+s\b/.test(text) && !(key in enSingular) && !(`${key}_one` in catalog))
      .map(([key]) => key);
    expect(missing).toEqual([]);
  });
});
