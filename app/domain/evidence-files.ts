// What an evidence file (佐证材料) may be, decided from its bytes, never from its name or the type the browser
// claims: PDF, JPEG/PNG/GIF/WebP images, and the office documents local governments keep — Word and Excel (old
// binary .doc/.xls and the zipped .docx/.xlsx), WPS (.wps/.et, binary like the old Office files) and
// OpenDocument (.odt/.ods). Plain module: the upload form shows the same limits the server applies.

/** The largest file taken, in bytes (20 MB). */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_MAX_MB = EVIDENCE_MAX_BYTES / 1024 / 1024;

/** What the file chooser offers (a hint for the browser only; the server decides from the content). */
export const EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.wps,.et,.odt,.ods";

export type EvidenceKind = "pdf" | "image" | "document" | "spreadsheet";

export interface SniffedType {
  contentType: string;
  kind: EvidenceKind;
}

const PDF: SniffedType = { contentType: "application/pdf", kind: "pdf" };
const TYPES = {
  jpeg: { contentType: "image/jpeg", kind: "image" },
  png: { contentType: "image/png", kind: "image" },
  gif: { contentType: "image/gif", kind: "image" },
  webp: { contentType: "image/webp", kind: "image" },
  doc: { contentType: "application/msword", kind: "document" },
  wps: { contentType: "application/vnd.ms-works", kind: "document" },
  xls: { contentType: "application/vnd.ms-excel", kind: "spreadsheet" },
  et: { contentType: "application/vnd.ms-excel", kind: "spreadsheet" },
  docx: { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", kind: "document" },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", kind: "spreadsheet" },
  odt: { contentType: "application/vnd.oasis.opendocument.text", kind: "document" },
  ods: { contentType: "application/vnd.oasis.opendocument.spreadsheet", kind: "spreadsheet" },
} as const satisfies Record<string, SniffedType>;

/** Images are the only files shown inline (as thumbnails); everything else is only ever downloaded. */
export function isImageType(contentType: string): boolean {
  return contentType === "image/jpeg" || contentType === "image/png" || contentType === "image/gif" || contentType === "image/webp";
}

function startsWith(bytes: Uint8Array, prefix: number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const utf16le = (s: string) => [...s].flatMap((c) => [c.charCodeAt(0), 0]);

function contains(bytes: Uint8Array, needle: number[]): boolean {
  const first = needle[0]!;
  for (let i = bytes.indexOf(first); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    if (startsWith(bytes, needle, i)) return true;
  }
  return false;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** The names of a zip's entries, from its central directory; null when it is not a readable zip. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  // the end-of-central-directory record: 22 bytes, then a comment of up to 65,535
  const lowest = Math.max(0, bytes.length - 22 - 65535);
  let end = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = u16(bytes, end + 10);
  let at = u32(bytes, end + 16);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) return null;
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The stored (uncompressed) "mimetype" entry an OpenDocument file opens with. */
function openDocumentType(bytes: Uint8Array): string | null {
  // local file header: name at 30, its length at 26, the extra field's at 28; stored entries hold the text as is
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return null;
  const nameLength = u16(bytes, 26);
  const extraLength = u16(bytes, 28);
  const name = new TextDecoder().decode(bytes.subarray(30, 30 + nameLength));
  if (name !== "mimetype" || u16(bytes, 8) !== 0) return null;
  const size = u32(bytes, 18);
  const start = 30 + nameLength + extraLength;
  return new TextDecoder().decode(bytes.subarray(start, Math.min(start + size, start + 100)));
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/**
 * What the bytes are, or null when they are none of the kinds taken. The name only chooses between formats the
 * content cannot tell apart (a binary Word file saved as .doc or by WPS as .wps).
 */
export function sniffEvidenceType(bytes: Uint8Array, name: string): SniffedType | null {
  if (startsWith(bytes, ascii("%PDF-"))) return PDF;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return TYPES.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES.png;
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return TYPES.gif;
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return TYPES.webp;
  const ext = extensionOf(name);
  // OLE2 compound file (old Word/Excel, WPS): its directory names the main stream, in UTF-16
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (contains(bytes, utf16le("WordDocument"))) return ext === "wps" ? TYPES.wps : TYPES.doc;
    if (contains(bytes, utf16le("Workbook")) || contains(bytes, utf16le("Book"))) return ext === "et" ? TYPES.et : TYPES.xls;
    return null;
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const od = openDocumentType(bytes);
    if (od === TYPES.odt.contentType) return TYPES.odt;
    if (od === TYPES.ods.contentType) return TYPES.ods;
    const names = zipEntryNames(bytes);
    if (!names || !names.includes("[Content_Types].xml")) return null;
    if (names.includes("word/document.xml")) return TYPES.docx;
    if (names.includes("xl/workbook.xml")) return TYPES.xlsx;
  }
  return null;
}
