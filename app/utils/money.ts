// Money is held as integer fen (分). Officials write amounts in 万元; 1 万元 = 10,000 元 = 1,000,000 分.
export const FEN_PER_WAN = 1_000_000;
/** The largest amount the ledger takes: 100 million 万元 (one trillion yuan). */
export const MAX_WAN_INTEGER_DIGITS = 9;

/** "30" / "223.36" / "0.5" → fen, exactly (no floating point). null when the text is not such a number. */
export function wanTextToFen(text: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(6, "0"));
  return whole * FEN_PER_WAN + fraction;
}

/** fen → the 万元 text a user typed, exactly: 300000000 → "300", 2233600000 → "2233.6". */
export function fenToWanText(fen: number): string {
  const whole = Math.floor(fen / FEN_PER_WAN);
  const fraction = String(fen % FEN_PER_WAN).padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** fen → 万元 rounded half-up to two decimals, as a string "223.36" (the way the documents print amounts). */
export function fenToWanFixed2(fen: number): string {
  const hundredths = Math.floor((fen + 5_000) / 10_000);
  const whole = Math.floor(hundredths / 100);
  return `${whole}.${String(hundredths % 100).padStart(2, "0")}`;
}
