import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { appendixDocx, documentXml, docxFile, tableXml } from './docx.ts';

// Files an attacker, or a clerk with a strange spreadsheet, might upload: generated here, never
// committed. Each says what a person should be told about it.

export interface HostileFile {
  name: string;
  /** The file name given to the reader (its extension is part of the trick). */
  fileName: string;
  bytes: Uint8Array;
  /** What the answer must say (an error, or a warning when the file is readable). */
  told?: RegExp;
  /** How many tasks a readable file holds, whatever its oddity. */
  tasks?: number;
}

const HEADER = ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'];
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const csv = (rows: string[][]) => utf8(rows.map((r) => r.join(';')).join('\n') + '\n');
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Column letters of a 1-based index, as sheet XML writes cell references. */
function letters(index: number): string {
  let name = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

type SheetCell = string | { formula: string };

/** Sheet XML with inline strings; `cells` maps a row number to its cells by column number. */
function sheetXml(rows: Map<number, Map<number, SheetCell>>, prolog = ''): string {
  const body = [...rows]
    .map(([r, cells]) => {
      const xml = [...cells]
        .map(([c, value]) => {
          const ref = `${letters(c)}${r}`;
          if (typeof value === 'string') return `<c r="${ref}" t="inlineStr"><is><t>${escape(value)}</t></is></c>`;
          // A formula as a program writes it: no cached <v> value.
          return `<c r="${ref}"><f>${escape(value.formula)}</f></c>`;
        })
        .join('');
      return `<row r="${r}">${xml}</row>`;
    })
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${prolog}` +
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`
  );
}

function grid(rows: SheetCell[][]): Map<number, Map<number, SheetCell>> {
  return new Map(rows.map((cells, r) => [r + 1, new Map(cells.map((value, c) => [c + 1, value]))]));
}

/** A workbook of one sheet, from the sheet's XML. */
async function xlsxFile(sheet: string): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  zip.file(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  zip.file('xl/worksheets/sheet1.xml', sheet);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/**
 * A zip with one entry of `size` spaces, deflated: a few hundred kilobytes that inflate to
 * `size`. `declared` is what its directory says the entry inflates to (a lie, for the sly bomb).
 * The CRC is left zero: nothing should get far enough to check it.
 */
function bombZip(entry: string, size: number, declared: number, extra: Record<string, string> = {}): Uint8Array {
  const parts: { name: Buffer; data: Buffer; size: number; method: number }[] = [];
  for (const [name, text] of Object.entries(extra)) {
    parts.push({ name: Buffer.from(name), data: Buffer.from(text), size: Buffer.byteLength(text), method: 0 });
  }
  const inflated = Buffer.alloc(size, 0x20);
  parts.push({ name: Buffer.from(entry), data: deflateRawSync(inflated, { level: 9 }), size: declared, method: 8 });
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(part.method, 8);
    header.writeUInt32LE(part.data.length, 18);
    header.writeUInt32LE(part.size, 22);
    header.writeUInt16LE(part.name.length, 26);
    local.push(header, part.name, part.data);
    const entryHeader = Buffer.alloc(46);
    entryHeader.writeUInt32LE(0x02014b50, 0);
    entryHeader.writeUInt16LE(20, 4);
    entryHeader.writeUInt16LE(20, 6);
    entryHeader.writeUInt16LE(part.method, 10);
    entryHeader.writeUInt32LE(part.data.length, 20);
    entryHeader.writeUInt32LE(part.size, 24);
    entryHeader.writeUInt16LE(part.name.length, 28);
    entryHeader.writeUInt32LE(offset, 42);
    central.push(entryHeader, part.name);
    offset += 30 + part.name.length + part.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, directory, end]));
}

/** A deterministic stream of bytes that looks random. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">' +
  '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">' +
  '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">' +
  '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">' +
  '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">' +
  '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">' +
  '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>\n';

const ROW = ['1', 'Rà soát thủ tục hành chính', 'Sở Tư pháp', '', 'Năm 2026'];

/** The corpus: at least twenty shapes of trouble. */
export async function hostileCorpus(): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (name: string, fileName: string, bytes: Uint8Array, told: RegExp | number) =>
    files.push({ name, fileName, bytes, ...(typeof told === 'number' ? { tasks: told } : { told }) });

  // A header, a task, and one value in Excel's last column (XFD): as wide as its header.
  const xfd = grid([HEADER, ROW]);
  xfd.get(1)!.set(16_384, 'x');
  add('xlsx-cell-in-XFD', 'xfd.xlsx', await xlsxFile(sheetXml(xfd)), /cột XFD, ngoài bảng/);
  // A long text extraction of one record that never ends: one field per line, no blank line.
  add('text-endless-record', 'endless.txt', utf8('PHỤ LỤC\n' + '\t1\n'.repeat(120_000)), /hơn 10\.000 dòng/);
  // Zip bombs: one honest about what it inflates to, one that lies in its directory.
  add(
    'xlsx-zip-bomb',
    'bomb.xlsx',
    bombZip('xl/worksheets/sheet1.xml', 160 * 1024 * 1024, 160 * 1024 * 1024, { 'xl/workbook.xml': '<workbook/>' }),
    /giải nén lớn hơn 100 MB/,
  );
  add(
    'xlsx-lying-zip-bomb',
    'liar.xlsx',
    bombZip('xl/worksheets/sheet1.xml', 160 * 1024 * 1024, 1_000, { 'xl/workbook.xml': '<workbook/>' }),
    /Không đọc được tệp \.xlsx: tệp hỏng|bộ nhớ nên đã dừng/,
  );
  add(
    'docx-zip-bomb',
    'bomb.docx',
    bombZip('word/document.xml', 160 * 1024 * 1024, 160 * 1024 * 1024),
    /giải nén lớn hơn 128 MB/,
  );
  add(
    'docx-lying-zip-bomb',
    'liar.docx',
    bombZip('word/document.xml', 160 * 1024 * 1024, 1_000),
    /nhiều hơn kích thước tệp tự khai báo/,
  );
  // 200,000 short rows, and 100,000 tasks without a lead.
  add('csv-200k-short-rows', 'rows.csv', utf8('1\n'.repeat(200_000)), /hơn 10\.000 dòng/);
  add(
    'csv-100k-rows-without-lead',
    'nolead.csv',
    csv([HEADER, ...Array.from({ length: 100_000 }, (_, i) => [String(i + 1), `Nhiệm vụ ${i + 1}`, '', '', ''])]),
    /hơn 10\.000 dòng/,
  );
  // Agency cells: a 1 MiB name, a long one under the cell limit, and thousands of unknown names.
  add(
    'csv-1MiB-agency',
    'agency.csv',
    csv([HEADER, ['1', 'Việc', 'Sở '.padEnd(1 << 20, 'x'), '', '']]),
    /quá giới hạn 10\.000 ký tự/,
  );
  add(
    'csv-long-agency-cell',
    'agency2.csv',
    csv([HEADER, ['1', 'Việc', 'Sở '.padEnd(5_000, 'Văn hóa '), '', '']]),
    /quá giới hạn 2\.000 ký tự của ô tên cơ quan/,
  );
  const strangers = Array.from({ length: 8_000 }, (_, i) => [
    String(i + 1),
    'Việc',
    // As long as the registry's own names, so every one of them must be compared in earnest.
    `Sở Khoa học và Đào tạo số ${i}`,
    '',
    'Năm 2026',
  ]);
  add('csv-8000-unknown-agencies', 'strangers.csv', csv([HEADER, ...strangers]), /quá nhiều tên cơ quan chưa có/);
  // A cell of a megabyte, and a text file of one line of 20 MB.
  add(
    'csv-1MiB-cell',
    'cell.csv',
    csv([HEADER, ['1', 'x'.repeat(1 << 20), 'Sở Tư pháp', '', '']]),
    /dòng 2, cột B dài/,
  );
  add('text-one-20MB-line', 'line.txt', utf8('a'.repeat(20 << 20)), /quá giới hạn 10\.000 ký tự|Không tìm thấy bảng/);
  // Empty, header only, NUL bytes, wrong encodings.
  add('empty', 'empty.csv', new Uint8Array(0), /Tệp rỗng/);
  add('header-only', 'header.csv', csv([HEADER]), /Không tìm thấy nhiệm vụ nào/);
  add(
    'csv-with-NUL',
    'nul.csv',
    utf8(`${HEADER.join(';')}\n1;Việc\u0000;Sở Tư pháp;;\n`),
    /byte rỗng \(NUL\) ở dòng 2/,
  );
  add(
    'utf16-without-BOM',
    'utf16.csv',
    new Uint8Array(Buffer.from(`${HEADER.join(';')}\n${ROW.join(';')}\n`, 'utf16le')),
    /UTF-16 nhưng không có dấu BOM/,
  );
  add(
    'invalid-utf8',
    'latin.csv',
    new Uint8Array([...utf8(`${HEADER.join(';')}\n1;`), 0xc3, 0x28, 0x81, 0xfe, ...utf8(';Sở Tư pháp;;\n')]),
    /không phải mã hoá UTF-8/,
  );
  // A formula whose value was never saved.
  add(
    'xlsx-formula-without-value',
    'formula.xlsx',
    await xlsxFile(sheetXml(grid([HEADER, ['1', 'Việc', { formula: 'CONCATENATE("Sở ","Tư pháp")' }, '', '']]))),
    /công thức chưa có giá trị/,
  );
  // Random bytes under an Office name, and other files under the wrong name.
  add('random-bytes-as-xlsx', 'random.xlsx', noise(200_000, 7), /tên \.xlsx nhưng không phải bảng tính Excel/);
  add('random-bytes-as-docx', 'random.docx', noise(200_000, 11), /tên \.docx nhưng không phải văn bản Word/);
  add('pdf-as-xlsx', 'plan.xlsx', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\n'), /Tệp là tệp PDF/);
  add(
    'png-as-csv',
    'plan.csv',
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(64, 3)]),
    /ảnh PNG/,
  );
  add(
    'old-xls',
    'plan.xls',
    new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...noise(4096, 5)]),
    /định dạng cũ \(\.xls\)/,
  );
  // XML entity tricks: billion laughs in a document and in a sheet, an external entity.
  add(
    'docx-billion-laughs',
    'laughs.docx',
    await docxFile(documentXml(tableXml([HEADER, ['1', '&lol9;', 'Sở Tư pháp', '', '']]), LAUGHS)),
    /khai báo DTD/,
  );
  add(
    'xlsx-billion-laughs',
    'laughs.xlsx',
    await xlsxFile(sheetXml(grid([HEADER, ROW]), LAUGHS).replace('Rà soát', '&lol9;')),
    /Không đọc được tệp \.xlsx|khai báo DTD/,
  );
  add(
    'docx-external-entity',
    'xxe.docx',
    await docxFile(
      documentXml(
        tableXml([HEADER, ['1', '&xxe;', 'Sở Tư pháp', '', '']]),
        '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
      ),
    ),
    /khai báo DTD/,
  );
  // One row of two million empty columns, in CSV and in a Word table (Word's own cells).
  add('csv-2M-empty-columns', 'wide.csv', utf8(`${HEADER.join(';')}\n${ROW.join(';')}${';'.repeat(2_000_000)}\n`), 1);
  add(
    'docx-200k-cells-in-a-row',
    'wide.docx',
    await appendixDocx([
      HEADER,
      [...ROW, ...Array.from({ length: 200_000 }, () => '')],
      ['2', 'Việc', 'Sở Tư pháp', '', '', 'x'],
    ]),
    /Dòng \d+ có dữ liệu ở cột F, ngoài bảng/,
  );
  // A broken CSV: a quote opened and never closed.
  add(
    'csv-unclosed-quote',
    'quote.csv',
    utf8(`${HEADER.join(';')}\n1;"Việc;Sở Tư pháp;;\n`),
    /Dấu ngoặc kép mở ở dòng 2/,
  );
  return files;
}
