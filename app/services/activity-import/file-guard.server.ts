// 1. The file itself, checked before any XML is read: an xlsx is a ZIP whose [Content_Types].xml names a workbook;
//    an encrypted (or pre-2007) file is an OLE container; a ZIP bomb is caught by what its directory declares and
//    by inflating one entry at a time (fflate) with a ceiling on its output, counted chunk by chunk, so a lying size
//    header cannot hide a gigabyte. Entries are inflated as a stream in the order the reader needs them, and the
//    reader may stop one part-way: a worksheet is never held inflated in memory.
import { Inflate } from "fflate";
import { IMPORT_MAX_BYTES } from "~/schemas/activity-import";

// ── limits ──────────────────────────────────────────────────────────────────────────────────────────────────
/** Everything a file may expand to, all entries together. A 10 MB spreadsheet of text expands ~10×. */
export const MAX_EXPANDED_BYTES = 200 * 1024 * 1024;
/** An entry expanding more than this many times its compressed size (and past 1 MB) is a bomb, not a sheet. */
export const MAX_COMPRESSION_RATIO = 100;
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_ZIP_ENTRIES = 10_000;
/** Compressed bytes handed to the inflater at a time: its output, and so the memory it holds, follows. */
const INFLATE_SLICE_BYTES = 16 * 1024;
/** Where the header row is looked for. */
export const HEADER_SEARCH_ROWS = 15;
/** Columns read; a ledger has a few dozen, and a header cell far out at XFD must not make every row that wide. */
export const MAX_COLUMNS = 100;

export interface Refusal {
  key: string;
  params?: Record<string, string | number>;
}

// ── 1. the file itself ──────────────────────────────────────────────────────────────────────────────────────
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const WORKBOOK_CONTENT_TYPES = [
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
  "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
];

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.key);
  }
}
export const refuse = (key: string, params?: Refusal["params"]): never => {
  throw new Refused({ key: `imports.refused.${key}`, params });
};

function readCentralDirectory(buf: Buffer): ZipEntry[] {
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) refuse("corrupt");
  if (buf.readUInt16LE(end + 4) !== 0 || buf.readUInt16LE(end + 6) !== 0) refuse("corrupt");
  let count = buf.readUInt16LE(end + 10);
  let cdSize = buf.readUInt32LE(end + 12);
  let cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) refuse("corrupt");
    const end64 = Number(buf.readBigUInt64LE(locator + 8));
    if (end64 + 56 > buf.length || buf.readUInt32LE(end64) !== ZIP64_END) refuse("corrupt");
    count = Number(buf.readBigUInt64LE(end64 + 32));
    cdSize = Number(buf.readBigUInt64LE(end64 + 40));
    cdOffset = Number(buf.readBigUInt64LE(end64 + 48));
  }
  if (count > MAX_ZIP_ENTRIES) refuse("zip_bomb");
  if (cdOffset + cdSize > buf.length) refuse("corrupt");

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== ZIP_CENTRAL) refuse("corrupt");
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength + extraLength > buf.length) refuse("corrupt");
    const entry: ZipEntry = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLength),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    // ZIP64: the real sizes sit in extra field 0x0001, in this order, for those marked 0xFFFFFFFF.
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
      let q = p + 46 + nameLength;
      const extraEnd = q + extraLength;
      while (q + 4 <= extraEnd) {
        const id = buf.readUInt16LE(q);
        const length = buf.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const next = () => {
            if (r + 8 > q + 4 + length) refuse("corrupt");
            const v = Number(buf.readBigUInt64LE(r));
            r += 8;
            return v;
          };
          if (entry.size === 0xffffffff) entry.size = next();
          if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
          if (entry.localOffset === 0xffffffff) entry.localOffset = next();
          break;
        }
        q += 4 + length;
      }
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Thrown by a reader that has what it needs: the entry is not inflated further. */
export class Stop extends Error {
  constructor() {
    super("stop");
  }
}

export interface ZipArchive {
  buf: Buffer;
  entries: Map<string, ZipEntry>;
  /** bytes inflated so far, all entries together */
  inflated: number;
}

/**
 * Inflates one entry as a stream, handing each piece of output to `onChunk` as it comes; refuses the moment the
 * output passes the entry's declared size (the size header cannot lie to us) or the whole file's ceiling. A reader
 * that throws Stop ends it early; any other failure of the data is a corrupt file.
 */
export function streamEntry(zip: ZipArchive, entry: ZipEntry, onChunk: (chunk: Uint8Array) => void): void {
  const { buf } = zip;
  const at = entry.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== ZIP_LOCAL) refuse("corrupt");
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) refuse("corrupt");
  if (entry.method !== 0 && entry.method !== 8) refuse("corrupt");
  if (entry.method === 0 && entry.compressedSize !== entry.size) refuse("corrupt");
  let out = 0;
  const take = (chunk: Uint8Array) => {
    out += chunk.length;
    zip.inflated += chunk.length;
    if (out > entry.size || zip.inflated > MAX_EXPANDED_BYTES) refuse("zip_bomb");
    if (chunk.length) onChunk(chunk);
  };
  try {
    if (entry.method === 0) {
      for (let p = start; p < end; p += INFLATE_SLICE_BYTES) take(buf.subarray(p, Math.min(end, p + INFLATE_SLICE_BYTES)));
    } else {
      const inflater = new Inflate((chunk) => take(chunk));
      if (start === end) inflater.push(new Uint8Array(0), true);
      for (let p = start; p < end; p += INFLATE_SLICE_BYTES) {
        const next = Math.min(end, p + INFLATE_SLICE_BYTES);
        inflater.push(buf.subarray(p, next), next === end);
      }
    }
  } catch (error) {
    if (error instanceof Refused || error instanceof Stop) throw error;
    refuse("corrupt");
  }
  if (out !== entry.size) refuse("corrupt");
}

/** A whole small entry as text (the workbook's parts lists, content types), or null when the file has none. */
export function entryText(zip: ZipArchive, name: string): string | null {
  const entry = zip.entries.get(name);
  if (!entry) return null;
  const decoder = new TextDecoder("utf-8");
  let text = "";
  streamEntry(zip, entry, (chunk) => (text += decoder.decode(chunk, { stream: true })));
  return text + decoder.decode();
}

/**
 * Everything about the file that can be checked before its XML is read: format, encryption, what its directory
 * says it expands to, and that it names a workbook. The parts that are neither worksheets nor read later are
 * inflated (and dropped) here, so a damaged or lying entry is refused whether or not the reader needs it.
 */
export function inspectFile(buf: Buffer, readLater: (name: string) => boolean): ZipArchive {
  if (buf.length === 0) refuse("empty");
  if (buf.length > IMPORT_MAX_BYTES) refuse("too_large", { max_mb: IMPORT_MAX_BYTES / 1024 / 1024 });
  if (buf.length >= 8 && buf.subarray(0, 8).equals(CFB_MAGIC)) {
    // An OLE container: Office keeps a password-protected xlsx in one (streams EncryptionInfo/EncryptedPackage);
    // otherwise it is a pre-2007 .xls (or .doc).
    const encrypted =
      buf.includes(Buffer.from("EncryptedPackage", "utf16le")) || buf.includes(Buffer.from("EncryptionInfo", "utf16le"));
    refuse(encrypted ? "encrypted" : "legacy_xls");
  }
  if (buf.length < 30 || buf.readUInt32LE(0) !== ZIP_LOCAL) refuse("not_xlsx");

  const list = readCentralDirectory(buf);
  if (list.some((e) => (e.flags & 1) === 1)) refuse("encrypted");
  const declared = list.reduce((sum, e) => sum + e.size, 0);
  if (declared > MAX_EXPANDED_BYTES) refuse("zip_bomb");
  for (const e of list) {
    if (e.size > RATIO_FLOOR_BYTES && e.size > MAX_COMPRESSION_RATIO * Math.max(1, e.compressedSize)) refuse("zip_bomb");
  }
  const zip: ZipArchive = { buf, entries: new Map(list.map((e) => [e.name, e])), inflated: 0 };

  const contentTypes = entryText(zip, "[Content_Types].xml");
  if (contentTypes === null || !WORKBOOK_CONTENT_TYPES.some((type) => contentTypes.includes(type))) refuse("not_xlsx");
  for (const e of list) {
    if (e.name.endsWith("/") || e.name === "[Content_Types].xml" || WORKSHEET_PART.test(e.name) || readLater(e.name)) continue;
    streamEntry(zip, e, () => {});
  }
  return zip;
}

/** A worksheet's part: read as a stream, as far as the reader needs. */
export const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/i;
