// What an approval freezes, as it is stored in report_snapshots.snapshot_json: a versioned format, built field by
// field when a report is approved and parsed when it is read back, because an approved report outlives the code
// that wrote it (STYLE.md, "Stored formats are versioned").
//
// Version 3 adds the evidence files (佐证材料) listed on each activity and on the report itself at approval — their
// ids, names, types and sizes (the bytes stay in evidence_file_contents, and cannot be removed while the report is
// approved). Version 2 snapshots were written before files existed: they read back with no files, which is what
// they had.
// Version 2 holds everything the exports and the draft show of an activity — its outcome (成果), funding source and
// evidence included — and the system's rating proposals at approval, so an approved period's 工作台账, evaluation
// workbook and 文字材料 never read a live field.
// Version 1 is the shape written before the format had a version: the rows of the report's activity query as they
// were (no outcome, funding source nor evidence). It is still read: the missing fields come back empty, and
// `complete` says so, so a reader knows they were never frozen.
import { z } from "zod";

export const REPORT_SNAPSHOT_VERSION = 3;

const text = z.string().catch("");
const count = z.number().int().nullable().catch(null);

const snapshotPlanItem = z.object({
  code: z.string(),
  title_zh: text,
  title_en: text,
  primary: z.boolean(),
});

/** An evidence file as listed at approval (downloaded from /files/<id>). */
export const snapshotFile = z.object({
  id: z.number().int(),
  name: z.string(),
  content_type: text,
  size_bytes: z.number().int().catch(0),
});

/** An activity as version 2 froze it (no files). */
const snapshotActivityV2 = z.object({
  id: z.number().int(),
  title: z.string(),
  type: z.string(),
  status: z.string(),
  start_date: z.string(),
  end_date: z.string(),
  counterpart_body: text,
  location: text,
  delegations_count: count,
  participants_count: count,
  funding_cny_fen: count,
  funding_source: text,
  outcome: text,
  organization_id: z.number().int(),
  organization_name_zh: text,
  organization_name_en: text,
  organization_path: z.string(),
  /** when the row was last changed before approval, and its deletion (none: a report leaves deleted rows out) */
  updated_at: text,
  deleted_at: z.string().nullable().catch(null),
  planItems: z.array(snapshotPlanItem),
  countries: z.array(z.string()),
  evidence: z.array(z.object({ url: z.string(), label: text })),
});

export const snapshotActivity = snapshotActivityV2.extend({ files: z.array(snapshotFile) });

export const snapshotItem = z.object({
  id: z.number().int(),
  plan_item_id: z.number().int(),
  code: z.string(),
  title_zh: text,
  title_en: text,
  progress: text,
  problems: text,
  next_steps: text,
  coordination: text,
  return_reason: z.string().nullable().catch(null),
});

export const snapshotCommitment = z.object({
  sourceItemId: z.number().int(),
  code: z.string(),
  title_zh: text,
  title_en: text,
  nextSteps: text,
  outcome: z.enum(["done", "carried_over", "dropped"]).nullable().catch(null),
  note: text,
});

/** The system's 红黄绿 proposal for each plan item when the report was approved (what the ledger's 预警 shows). */
export const snapshotProposal = z.object({
  plan_item_id: z.number().int(),
  rating: z.enum(["green", "yellow", "red"]),
});

export const reportSnapshotV3 = z.object({
  version: z.literal(3),
  items: z.array(snapshotItem),
  commitments: z.array(snapshotCommitment),
  activities: z.array(snapshotActivity),
  proposals: z.array(snapshotProposal).default([]),
  /** the report's own evidence files */
  files: z.array(snapshotFile),
});

/** Version 2: no files anywhere (there were none), read as version 3 with empty lists. */
const reportSnapshotV2 = z
  .object({
    version: z.literal(2),
    items: z.array(snapshotItem),
    commitments: z.array(snapshotCommitment),
    activities: z.array(snapshotActivityV2.extend({ files: z.array(snapshotFile).default([]) })),
    proposals: z.array(snapshotProposal).default([]),
  })
  .transform((old) => ({ ...old, version: 3 as const, files: [] as z.infer<typeof snapshotFile>[] }));

/** The version-less shape: activities without outcome, funding source and evidence (filled in empty). */
const reportSnapshotV1 = z
  .object({
    version: z.undefined(),
    items: z.array(snapshotItem),
    commitments: z.array(snapshotCommitment).catch([]),
    activities: z.array(
      snapshotActivity.extend({
        funding_source: z.string().default(""),
        outcome: z.string().default(""),
        evidence: z.array(z.object({ url: z.string(), label: text })).default([]),
        files: z.array(snapshotFile).default([]),
      }),
    ),
  })
  .transform((old) => ({
    ...old,
    version: 3 as const,
    proposals: [] as z.infer<typeof snapshotProposal>[],
    files: [] as z.infer<typeof snapshotFile>[],
    complete: false,
  }));

export type ReportSnapshot = z.infer<typeof reportSnapshotV3>;
export type SnapshotFile = z.infer<typeof snapshotFile>;
export type SnapshotActivity = z.infer<typeof snapshotActivity>;
export type SnapshotItem = z.infer<typeof snapshotItem>;
export type SnapshotCommitment = z.infer<typeof snapshotCommitment>;

/** A snapshot as read back: the current version, and whether every field of it was frozen (false for version 1). */
export type ReadSnapshot = ReportSnapshot & { complete: boolean };

/** Builds the stored form of a snapshot: exactly the schema's fields, checked, with the current version. */
export function buildReportSnapshot(input: Omit<z.input<typeof reportSnapshotV3>, "version">): string {
  const snapshot = reportSnapshotV3.parse({ version: REPORT_SNAPSHOT_VERSION, ...input });
  return JSON.stringify(snapshot);
}

/** Reads a stored snapshot of any version; a snapshot that fits none is an error, never read unchecked. */
export function parseReportSnapshot(stored: string | unknown): ReadSnapshot {
  const raw: unknown = typeof stored === "string" ? JSON.parse(stored) : stored;
  const version = raw && typeof raw === "object" && "version" in raw ? (raw as { version: unknown }).version : undefined;
  if (version === undefined) return reportSnapshotV1.parse(raw);
  if (version === 2) return { ...reportSnapshotV2.parse(raw), complete: true };
  if (version === 3) return { ...reportSnapshotV3.parse(raw), complete: true };
  throw new Error(`report snapshot of unknown version ${String(version)}`);
}
