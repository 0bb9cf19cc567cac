// The drafted progress report (文字材料) as a Word file an office hands in unchanged.
//
// Chinese: a 公文 laid out per GB/T 9704-2012 — A4 portrait; margins top 37 mm, bottom 35 mm, left 28 mm, right
// 26 mm (a 156 × 225 mm type area); title in 小标宋 二号 (22 pt) centred; body in 仿宋 三号 (16 pt), 28 characters
// × 22 lines a page (characters 15.6 pt apart, lines exactly 28.95 pt on the section's line grid); 一、 headings in
// 黑体, （一） in 楷体, 1. in 仿宋; page numbers "— 1 —" in 四号 半角 宋体, on the outer side (odd pages right, even
// pages left, one character in); at the end the unit centred over the date (阿拉伯数字, 2023年7月19日), the date
// four characters in from the right. Paragraphs are kept whole on a page.
//
// Fonts: Word and WPS on an office's machine resolve the names offices have (方正小标宋简体, 仿宋_GB2312, 黑体,
// 楷体_GB2312, 宋体: w:rFonts eastAsia); Latin letters and digits are in Times New Roman (ascii/hAnsi), as offices
// set them. The font table gives each face its alternative (w:altName: Noto Serif CJK SC for the 宋/仿宋/楷 faces,
// Noto Sans CJK SC for 黑体), family and panose, which Word and WPS use where a face is missing. LibreOffice does
// not read w:altName: it substitutes through fontconfig, which gives Noto Sans CJK SC for a Chinese face it lacks
// (Debian's fonts-noto-cjk), and Liberation Serif for Times New Roman. Sizes, line pitch and character spacing are
// set by the document, not the face, so the printed layout (28 × 22, 16 pt) is the same.
//
// English: an ordinary A4 report (Times New Roman 12 pt, 2.54 cm margins, centred page numbers); no 公文 fonts.
//
// The editor's notes (【数据说明…】) are for the person checking the draft on screen and are left out of the file.
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  TextRun,
  convertMillimetersToTwip,
} from "docx";
import type { DraftBlock, DraftDocument } from "~/services/progress-draft.server";

export const DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** A4 in twips. */
const A4 = { width: 11906, height: 16838 };

// ── 公文 (GB/T 9704-2012) ──────────────────────────────────────────────────────────────────────

/** The faces of a 公文, by the names Word and WPS resolve; digits and Latin letters in Times New Roman. */
export const GONGWEN_FONTS = {
  title: "方正小标宋简体",
  body: "仿宋_GB2312",
  heading1: "黑体",
  heading2: "楷体_GB2312",
  pageNumber: "宋体",
  latin: "Times New Roman",
} as const;

/** Where a 公文 face is missing, the alternative the font table names for it (w:altName; Debian's fonts-noto-cjk). */
export const GONGWEN_FALLBACKS: Record<string, { alt: string; family: "roman" | "swiss"; panose: string }> = {
  方正小标宋简体: { alt: "Noto Serif CJK SC", family: "roman", panose: "02000000000000000000" },
  仿宋_GB2312: { alt: "Noto Serif CJK SC", family: "roman", panose: "02010609030101010101" },
  楷体_GB2312: { alt: "Noto Serif CJK SC", family: "roman", panose: "02010609030101010101" },
  宋体: { alt: "Noto Serif CJK SC", family: "roman", panose: "02010600030101010101" },
  黑体: { alt: "Noto Sans CJK SC", family: "swiss", panose: "02010609060101010101" },
};

/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
const SIZE = { title: 44, body: 32, pageNumber: 28 };
/** 22 lines in the 225 mm type area: 28.95 pt a line (twips). */
const LINE = 579;
/**
 * 28 characters in the 156 mm (442.2 pt) type area: 16 pt characters drawn 0.4 pt closer (w:spacing −8 twips),
 * 15.6 pt a character, 28 to a line. The grid snaps lines only: LibreOffice reads a character grid (w:charSpace)
 * against a base size of its own and then gives each 16 pt character two cells, 17–20 to a line; the spacing gives
 * the same 28 in Word, WPS and LibreOffice. (−5, the exact fit, makes LibreOffice drop a 、 that falls at a line end.)
 */
const CHAR_SPACING = -8;
/** One character as printed, 15.6 pt (twips); two are the first-line indent of a paragraph. */
const CHAR = 312;
const TWO_CHARS = 2 * CHAR;

/** How many characters wide a text prints: a Chinese character or full-width mark is one, a digit or letter half. */
function printedChars(text: string): number {
  return [...text].reduce((n, c) => n + (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(c) ? 1 : 0.5), 0);
}

function cjkFont(eastAsia: string) {
  return { eastAsia, ascii: GONGWEN_FONTS.latin, hAnsi: GONGWEN_FONTS.latin, cs: GONGWEN_FONTS.latin, hint: "eastAsia" as const };
}

function run(text: string, face: string, size = SIZE.body) {
  return new TextRun({ text, font: cjkFont(face), size, characterSpacing: CHAR_SPACING, language: { eastAsia: "zh-CN", value: "en-US" } });
}

function gongwenParagraph(block: DraftBlock): Paragraph[] {
  const body = { spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 } };
  // a paragraph is kept on one page (keepLines): a page never breaks inside one, so each prints whole, as offices
  // lay out a 公文 in Word ("段中不分页")
  const indented = { ...body, keepLines: true, indent: { firstLine: TWO_CHARS }, alignment: AlignmentType.BOTH };
  switch (block.kind) {
    case "title":
      // 标题 centred in 小标宋 二号, then one blank line before the body
      return [
        new Paragraph({
          ...body,
          alignment: AlignmentType.CENTER,
          keepLines: true,
          children: (block.lines?.length ? block.lines : [block.text]).map((line, i) =>
            new TextRun({ text: line, break: i > 0 ? 1 : undefined, font: cjkFont(GONGWEN_FONTS.title), size: SIZE.title, characterSpacing: CHAR_SPACING }),
          ),
        }),
        new Paragraph({ ...body, children: [run("", GONGWEN_FONTS.body)] }),
      ];
    case "heading":
      return [new Paragraph({ ...indented, keepNext: true, children: [run(block.text, GONGWEN_FONTS.heading1)] })];
    case "subheading":
      return [new Paragraph({ ...indented, keepNext: true, children: [run(block.text, GONGWEN_FONTS.heading2)] })];
    case "paragraph": {
      const lead = block.lead && block.text.startsWith(block.lead) ? block.lead : "";
      const leadFace = block.leadKind === "subheading" ? GONGWEN_FONTS.heading2 : GONGWEN_FONTS.body;
      return [
        new Paragraph({
          ...indented,
          children: [...(lead ? [run(lead, leadFace)] : []), run(block.text.slice(lead.length), GONGWEN_FONTS.body)],
        }),
      ];
    }
    default:
      return [];
  }
}

/** "— 1 —" in 四号 半角 宋体, one character in from the outer edge. */
function pageNumberFooter(side: "odd" | "even"): Footer {
  const face = { eastAsia: GONGWEN_FONTS.pageNumber, ascii: GONGWEN_FONTS.pageNumber, hAnsi: GONGWEN_FONTS.pageNumber, cs: GONGWEN_FONTS.pageNumber };
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === "odd" ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === "odd" ? { right: 280 } : { left: 280 },
        children: [new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], font: face, size: SIZE.pageNumber })],
      }),
    ],
  });
}

/** A Word file laid out as a 公文 from the Chinese draft. */
export function gongwenDocument(draft: DraftDocument, meta: { title: string; creator: string }): Document {
  const blocks = draft.blocks.filter((b) => b.kind !== "note");
  const signature = blocks.filter((b) => b.kind === "signature").map((b) => b.text);
  const children = blocks.filter((b) => b.kind !== "signature").flatMap(gongwenParagraph);
  if (signature.length) {
    // one blank line below the body, the unit (发文机关署名), and under it the date (成文日期) four characters in
    // from the right, the unit centred over the date (GB/T 9704-2012 7.3.5.2), kept together on the last page
    const [unit, date] = signature;
    const line = { spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 } };
    const dateIndent = 4 * CHAR;
    const unitIndent = date ? Math.max(0, Math.round(dateIndent + ((printedChars(date) - printedChars(unit!)) / 2) * CHAR)) : TWO_CHARS;
    children.push(
      new Paragraph({ ...line, keepNext: true, children: [run("", GONGWEN_FONTS.body)] }),
      new Paragraph({ ...line, keepNext: true, alignment: AlignmentType.RIGHT, indent: { right: unitIndent }, children: [run(unit!, GONGWEN_FONTS.body)] }),
      ...(date ? [new Paragraph({ ...line, alignment: AlignmentType.RIGHT, indent: { right: dateIndent }, children: [run(date, GONGWEN_FONTS.body)] })] : []),
    );
  }
  return new Document({
    title: meta.title,
    creator: meta.creator,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: cjkFont(GONGWEN_FONTS.body), size: SIZE.body, language: { eastAsia: "zh-CN", value: "en-US" } },
          paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4, orientation: PageOrientation.PORTRAIT },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
              header: convertMillimetersToTwip(15),
              // the page number's 一字线 7 mm below the type area
              footer: convertMillimetersToTwip(22),
            },
          },
          grid: { type: DocumentGridType.LINES, linePitch: LINE },
        },
        footers: { default: pageNumberFooter("odd"), even: pageNumberFooter("even") },
        children,
      },
    ],
  });
}

// ── English ────────────────────────────────────────────────────────────────────────────────────

const EN = { font: "Times New Roman", cjk: "Noto Serif CJK SC", body: 24, title: 32 };

function enRun(text: string, options: { bold?: boolean; size?: number } = {}) {
  return new TextRun({
    text,
    bold: options.bold,
    size: options.size ?? EN.body,
    font: { ascii: EN.font, hAnsi: EN.font, cs: EN.font, eastAsia: EN.cjk },
    language: { value: "en-GB", eastAsia: "zh-CN" },
  });
}

function englishParagraph(block: DraftBlock): Paragraph[] {
  const spacing = { line: 300, lineRule: LineRuleType.AUTO, before: 0, after: 160 };
  switch (block.kind) {
    case "title":
      return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...spacing, after: 360 }, children: [enRun(block.text, { bold: true, size: EN.title })] })];
    case "heading":
      return [new Paragraph({ keepNext: true, spacing: { ...spacing, before: 240 }, children: [enRun(block.text, { bold: true, size: 26 })] })];
    case "subheading":
      return [new Paragraph({ keepNext: true, spacing, children: [enRun(block.text, { bold: true })] })];
    case "paragraph": {
      const lead = block.lead && block.text.startsWith(block.lead) ? block.lead : "";
      return [
        new Paragraph({
          alignment: AlignmentType.BOTH,
          // kept on one page, as the Chinese file's paragraphs are
          keepLines: true,
          spacing,
          children: [...(lead ? [enRun(lead, { bold: true })] : []), enRun(block.text.slice(lead.length))],
        }),
      ];
    }
    case "signature":
      return [new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { ...spacing, after: 0 }, children: [enRun(block.text)] })];
    default:
      return [];
  }
}

/** A Word file in an ordinary English report layout from the English draft. */
export function englishDocument(draft: DraftDocument, meta: { title: string; creator: string }): Document {
  const blocks = draft.blocks.filter((b) => b.kind !== "note");
  const firstSignature = blocks.findIndex((b) => b.kind === "signature");
  const children = blocks.flatMap((b, i) => [
    ...(i === firstSignature ? [new Paragraph({ spacing: { before: 240 }, children: [] })] : []),
    ...englishParagraph(b),
  ]);
  const margin = convertMillimetersToTwip(25.4);
  return new Document({
    title: meta.title,
    creator: meta.creator,
    styles: { default: { document: { run: { font: EN.font, size: EN.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4, orientation: PageOrientation.PORTRAIT },
            margin: { top: margin, bottom: margin, left: margin, right: margin, header: convertMillimetersToTwip(12.7), footer: convertMillimetersToTwip(12.7) },
          },
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: EN.font, size: 20 })] })],
          }),
        },
        children,
      },
    ],
  });
}

// ── the file ───────────────────────────────────────────────────────────────────────────────────

/**
 * Names in the font table what LibreOffice should use where a 公文 face is missing: w:altName, and the family and
 * panose that say serif or sans. The docx package writes no font table of its own for unembedded fonts, so one is
 * added (Word and WPS read it too, and ignore alternatives for fonts they have).
 */
function fontTableXml(faces: string[]): string {
  const fonts = faces
    .map((name) => {
      const fb = GONGWEN_FALLBACKS[name];
      const esc = name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
      if (!fb) return `<w:font w:name="${esc}"><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`;
      return (
        `<w:font w:name="${esc}"><w:altName w:val="${fb.alt}"/><w:panose1 w:val="${fb.panose}"/>` +
        `<w:charset w:val="86"/><w:family w:val="${fb.family}"/><w:pitch w:val="variable"/></w:font>`
      );
    })
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts}</w:fonts>`
  );
}

export async function reportDocxBuffer(draft: DraftDocument, meta: { title: string; creator: string }): Promise<Buffer> {
  const gongwen = draft.locale !== "en";
  if (!gongwen) return Packer.toBuffer(englishDocument(draft, meta));
  const faces = [...new Set([...Object.values(GONGWEN_FONTS)])];
  return Packer.toBuffer(gongwenDocument(draft, meta), false, [{ path: "word/fontTable.xml", data: fontTableXml(faces) }]);
}
