import JSZip from 'jszip';

// Minimal Word documents built in code, as Word writes them: a document part with tables whose
// cells hold paragraphs of runs, spans (w:gridSpan) and vertical merges (w:vMerge).

/** A cell: its text (lines are paragraphs), or its text with a span or a vertical merge. */
export type DocxCell =
  string | { text?: string; span?: number; vMerge?: 'restart' | 'continue'; runs?: string[]; xml?: string };

export type DocxRow = DocxCell[] | { gridBefore: number; cells: DocxCell[] };

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A paragraph whose text is cut into several runs, as Word does when formatting or spelling changes. */
function paragraph(text: string): string {
  const runs = text === '' ? [] : text.match(/.{1,7}/gsu)!;
  return `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>${runs
    .map((run) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${escape(run)}</w:t></w:r>`)
    .join('')}</w:p>`;
}

function cell(value: DocxCell): string {
  const spec = typeof value === 'string' ? { text: value } : value;
  const properties = [
    '<w:tcW w:w="1200" w:type="dxa"/>',
    spec.span ? `<w:gridSpan w:val="${spec.span}"/>` : '',
    spec.vMerge === 'restart' ? '<w:vMerge w:val="restart"/>' : spec.vMerge === 'continue' ? '<w:vMerge/>' : '',
  ].join('');
  const body =
    spec.xml ??
    (spec.runs
      ? `<w:p>${spec.runs.map((r) => `<w:r><w:t xml:space="preserve">${escape(r)}</w:t></w:r>`).join('')}</w:p>`
      : (spec.text ?? '').split('\n').map(paragraph).join(''));
  // Word writes at least one paragraph in every cell.
  return `<w:tc><w:tcPr>${properties}</w:tcPr>${body || '<w:p/>'}</w:tc>`;
}

export function tableXml(rows: DocxRow[]): string {
  const trs = rows.map((row) => {
    const { gridBefore, cells } = Array.isArray(row) ? { gridBefore: 0, cells: row } : row;
    const trPr = gridBefore ? `<w:trPr><w:gridBefore w:val="${gridBefore}"/></w:trPr>` : '';
    return `<w:tr>${trPr}${cells.map(cell).join('')}</w:tr>`;
  });
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="1200"/></w:tblGrid>${trs.join('')}</w:tbl>`;
}

/** The document part around some body XML (paragraphs and tables). */
export function documentXml(body: string, prolog = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${prolog}` +
    `<w:document xmlns:w="${W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
    `<w:body>${body}<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:body></w:document>`
  );
}

/** A .docx file holding the given document part. */
export async function docxFile(document: string): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', document);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A decision as provinces issue it: a title, a title table, the appendix table, a signature table. */
export async function appendixDocx(rows: DocxRow[]): Promise<Uint8Array> {
  const title = paragraph('PHỤ LỤC');
  const heading = tableXml([['ỦY BAN NHÂN DÂN TỈNH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']]);
  const signature = tableXml([['Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.', 'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH']]);
  return docxFile(documentXml(`${heading}${title}${tableXml(rows)}${signature}`));
}
