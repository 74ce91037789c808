import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import type { Block, NarrativeDocument, Table as TableModel } from '../domain/narrative-report.ts';

// The layout of an administrative document, Decree 30/2020/NĐ-CP, Phụ lục I: A4; margins top and
// bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, black; body 14 pt, justified, first line
// indented 1 cm, 6 pt after each paragraph, line spacing 1.15; the national motto beside the
// issuing body; the page number centred in the top margin from the second page on. Sizes in docx
// are half-points, lengths twentieths of a point (twips): 1 mm = 56.7 twips.

const mm = (value: number) => Math.round(value * 56.7);
const pt = (value: number) => value * 2;

export const LAYOUT = {
  page: { width: 11906, height: 16838 },
  margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15), header: mm(10) },
  font: 'Times New Roman',
  body: pt(14),
  firstLine: mm(10),
  after: 120,
  line: 276,
} as const;
const textWidth = LAYOUT.page.width - LAYOUT.margin.left - LAYOUT.margin.right;

const run = (text: string, options: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}) =>
  new TextRun({
    text,
    bold: options.bold,
    italics: options.italics,
    size: options.size,
    ...(options.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
  });

/** A centred line of the heading block, without the body's indent and spacing. */
const centred = (children: TextRun[], extra: { after?: number; before?: number } = {}) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: extra.before ?? 0, after: extra.after ?? 0, line: 240 },
    indent: { firstLine: 0 },
    children,
  });

/**
 * The short rule under the issuing body and under the title: an empty line's bottom border,
 * `length` mm long, centred in a space `within` twips wide.
 */
const rule = (within: number, length: number, after = 0) => {
  const side = Math.max(0, Math.round((within - mm(length)) / 2));
  return new Paragraph({
    spacing: { before: 0, after, line: 120, lineRule: LineRuleType.EXACT },
    indent: { left: side, right: side, firstLine: 0 },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  });
};

const noBorders = TableBorders.NONE;
/** Word's default cell margins, left and right together (0.19 cm each). */
const CELL_MARGINS = 216;

/** The issuing body and number on the left, the national motto and place and date on the right. */
function headingBlock(doc: NarrativeDocument): Table {
  const leftWidth = mm(60);
  const left = [
    ...(doc.issuer.parent ? [centred([run(doc.issuer.parent, { size: pt(13) })])] : []),
    centred([run(doc.issuer.name, { bold: true, size: pt(13) })]),
    rule(leftWidth - CELL_MARGINS, 25, 160),
    centred([run(doc.number, { size: pt(13) })]),
  ];
  const right = [
    centred([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: pt(12) })]),
    centred([run('Độc lập - Tự do - Hạnh phúc', { bold: true, size: pt(14), underline: true })], { after: 240 }),
    centred([run(doc.placeDate, { italics: true, size: pt(14) })]),
  ];
  return new Table({
    borders: noBorders,
    layout: TableLayoutType.FIXED,
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: [leftWidth, textWidth - leftWidth],
    rows: [
      new TableRow({
        children: [
          new TableCell({ borders: noBorders, width: { size: leftWidth, type: WidthType.DXA }, children: left }),
          new TableCell({
            borders: noBorders,
            width: { size: textWidth - leftWidth, type: WidthType.DXA },
            children: right,
          }),
        ],
      }),
    ],
  });
}

function bodyParagraph(block: Block): Paragraph | Table {
  switch (block.kind) {
    case 'heading':
      return new Paragraph({ children: [run(block.text, { bold: true })], keepNext: true });
    case 'subheading':
      return new Paragraph({ children: [run(block.text, { bold: true })], keepNext: true });
    case 'paragraph':
      return new Paragraph({ children: block.runs.map((r) => run(r.text, { bold: r.bold, italics: r.italic })) });
    case 'table':
      return dataTable(block.table);
  }
}

/** A table of figures or tasks: 12 pt, bordered, its header row repeated on every page. */
function dataTable(model: TableModel): Table {
  const sum = model.widths.reduce((a, b) => a + b, 0);
  const widths = model.widths.map((w) => Math.floor((w / sum) * textWidth));
  const cell = (text: string, column: number, header: boolean) =>
    new TableCell({
      width: { size: widths[column]!, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 60, right: 60, top: 30, bottom: 30 },
      children: text.split('\n').map(
        (line) =>
          new Paragraph({
            alignment: header || model.numeric?.includes(column) ? AlignmentType.CENTER : AlignmentType.LEFT,
            indent: { firstLine: 0 },
            spacing: { after: 0, line: 240 },
            children: [run(line, { bold: header, size: pt(12) })],
          }),
      ),
    });
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: model.header.map((h, i) => cell(h, i, true)) }),
      ...model.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((text, i) => cell(text, i, false)) })),
    ],
  });
}

/** "Nơi nhận:" and its list on the left, the signer on the right. */
function closingBlock(doc: NarrativeDocument): Table {
  const plain = (children: TextRun[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new Paragraph({ alignment, indent: { firstLine: 0 }, spacing: { after: 0, line: 240 }, children });
  const leftWidth = Math.round(textWidth / 2);
  return new Table({
    borders: noBorders,
    layout: TableLayoutType.FIXED,
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: [leftWidth, textWidth - leftWidth],
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          new TableCell({
            borders: noBorders,
            width: { size: leftWidth, type: WidthType.DXA },
            children: [
              plain([run('Nơi nhận:', { bold: true, italics: true, size: pt(12) })], AlignmentType.LEFT),
              ...doc.recipients.map((r) => plain([run(r, { size: pt(11) })], AlignmentType.LEFT)),
            ],
          }),
          new TableCell({
            borders: noBorders,
            width: { size: textWidth - leftWidth, type: WidthType.DXA },
            children: doc.signer.map((s) => plain([run(s, { bold: true, size: pt(14) })], AlignmentType.CENTER)),
          }),
        ],
      }),
    ],
  });
}

function appendix(a: NarrativeDocument['appendices'][number]): (Paragraph | Table)[] {
  return [
    new Paragraph({
      pageBreakBefore: true,
      alignment: AlignmentType.CENTER,
      indent: { firstLine: 0 },
      spacing: { after: 60 },
      children: [run(`Phụ lục ${a.number}`, { bold: true })],
    }),
    centred([run(a.title, { bold: true })], { after: 60 }),
    centred([run(a.note, { italics: true, size: pt(13) })], { after: 240 }),
    dataTable(a.table),
  ];
}

/** The composed report as a .docx file. */
export async function narrativeDocx(doc: NarrativeDocument): Promise<Buffer> {
  const document = new Document({
    creator: 'Đôn đốc',
    title: `${doc.title} ${doc.subject}`,
    styles: {
      default: {
        document: {
          run: { font: LAYOUT.font, size: LAYOUT.body, color: '000000' },
          paragraph: {
            alignment: AlignmentType.JUSTIFIED,
            indent: { firstLine: LAYOUT.firstLine },
            spacing: { after: LAYOUT.after, line: LAYOUT.line },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: LAYOUT.page, margin: LAYOUT.margin },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                indent: { firstLine: 0 },
                children: [new TextRun({ children: [PageNumber.CURRENT], size: pt(13) })],
              }),
            ],
          }),
          // The first page carries no number.
          first: new Header({ children: [new Paragraph({ indent: { firstLine: 0 }, children: [] })] }),
        },
        children: [
          headingBlock(doc),
          centred([run(doc.title, { bold: true })], { before: 360 }),
          centred([run(doc.subject, { bold: true })]),
          rule(textWidth, 35, 360),
          // A table is followed by a line's space before the text goes on.
          ...doc.body.flatMap((b) =>
            b.kind === 'table' ? [bodyParagraph(b), new Paragraph({ children: [] })] : [bodyParagraph(b)],
          ),
          new Paragraph({ children: [] }),
          closingBlock(doc),
          ...doc.appendices.flatMap(appendix),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
