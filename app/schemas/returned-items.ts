// The narratives of a report as they stood when it was returned (period_reports.returned_items_json): a versioned
// format (STYLE.md, "Stored formats are versioned"), built field by field at the return and parsed when the
// reviewer compares the resubmission with it.
import { z } from "zod";

export const RETURNED_ITEMS_VERSION = 1;

const text = z.string().catch("");

const returnedItem = z.object({
  plan_item_id: z.number().int(),
  code: z.string(),
  progress: text,
  problems: text,
  next_steps: text,
  coordination: text,
});

const returnedItemsV1 = z.object({
  version: z.literal(1),
  returned_at: z.string(),
  items: z.array(returnedItem),
});

export type ReturnedItems = z.infer<typeof returnedItemsV1>;
export type ReturnedItem = z.infer<typeof returnedItem>;

export function buildReturnedItems(input: Omit<z.input<typeof returnedItemsV1>, "version">): string {
  return JSON.stringify(returnedItemsV1.parse({ version: RETURNED_ITEMS_VERSION, ...input }));
}

/** Reads a stored copy; one of an unknown version is an error, never read unchecked. */
export function parseReturnedItems(stored: string): ReturnedItems {
  const raw: unknown = JSON.parse(stored);
  const version = raw && typeof raw === "object" && "version" in raw ? (raw as { version: unknown }).version : undefined;
  if (version === 1) return returnedItemsV1.parse(raw);
  throw new Error(`returned items of unknown version ${String(version)}`);
}
