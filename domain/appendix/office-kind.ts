// Word documents and Excel workbooks are both zip files; which one a file is shows in the names of
// its parts: word/document.xml or xl/workbook.xml. The names are read from the zip's central
// directory at the end of the file, without inflating anything.

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes, followed by a comment of at most 65,535. */
const END_SEARCH = 22 + 0xffff;
/** Office files have a few dozen parts; a directory longer than this is not looked through. */
const MAX_ENTRIES = 10_000;

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP_SIGNATURE);
}

/** An OLE compound file: the old binary .xls and .doc. */
export function isLegacyOffice(bytes: Uint8Array): boolean {
  return startsWith(bytes, OLE_SIGNATURE);
}

/** A zip entry as its central directory describes it, without inflating anything. */
export interface ZipEntry {
  name: string;
  /** Its size once inflated, as the directory declares it; Infinity for a ZIP64 entry. */
  uncompressedSize: number;
}

/** The entries of a zip, or an empty list when its central directory cannot be found. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - END_SEARCH; at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return [];
  const count = Math.min(view.getUint16(end + 10, true), MAX_ENTRIES);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < count && at + 46 <= bytes.length; i++) {
    if (view.getUint32(at, true) !== DIRECTORY_ENTRY) break;
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) break;
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      uncompressedSize: size === 0xffffffff ? Infinity : size,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The names of a zip's entries, or an empty list when its central directory cannot be found. */
export function zipEntryNames(bytes: Uint8Array): string[] {
  return zipEntries(bytes).map((e) => e.name);
}

/** What a zip declares it inflates to, in all. */
export function zipUncompressedSize(bytes: Uint8Array): number {
  return zipEntries(bytes).reduce((sum, e) => sum + e.uncompressedSize, 0);
}

/** Which Office file a zip is, by its parts; undefined when it holds neither. */
export function officeKind(bytes: Uint8Array): 'docx' | 'xlsx' | undefined {
  const names = zipEntryNames(bytes);
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('xl/workbook.xml')) return 'xlsx';
  return undefined;
}

/** Files people upload by mistake, by their first bytes, with the name a person knows them by. */
const FOREIGN_SIGNATURES: { bytes: number[]; name: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], name: 'tệp PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'ảnh PNG' },
  { bytes: [0xff, 0xd8, 0xff], name: 'ảnh JPEG' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'ảnh GIF' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'tệp nén RAR' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: 'tệp nén 7z' },
  { bytes: [0x1f, 0x8b], name: 'tệp nén gzip' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'chương trình máy tính' },
];

/**
 * What a file that cannot be an appendix is (a PDF, an image, another archive, a program), or
 * undefined: so that the answer names what was sent, not what it failed to be.
 */
export function foreignKind(bytes: Uint8Array): string | undefined {
  const signature = FOREIGN_SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (signature) return signature.name;
  if (isZip(bytes) && !officeKind(bytes)) {
    const names = zipEntryNames(bytes);
    if (names.includes('mimetype') && names.includes('content.xml')) return 'tài liệu OpenDocument (.ods/.odt)';
    return 'tệp nén ZIP (không phải .xlsx hay .docx)';
  }
  return undefined;
}
