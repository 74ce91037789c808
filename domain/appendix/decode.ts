import { AppendixReadError, DEFAULT_MAX_BYTES } from './types.ts';
import { decodeWindows1258 } from './windows-1258.ts';

// Text inputs are UTF-8 (a BOM is fine), UTF-16 when its BOM says so (Excel's "Unicode Text"), or
// Windows-1258 when the bytes are not UTF-8 and read as Vietnamese that way (windows-1258.ts).
// Anything else is refused with the line of the first byte that is not UTF-8, because guessing
// between TCVN3 and VNI would silently garble every Vietnamese name. The text is composed (NFC):
// Windows-1258 and some keyboards write a tone as a separate combining mark.

/** Refuses an empty input or one over the size limit. */
export function checkSize(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): void {
  if (bytes.length > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1).replace('.', ',');
    throw new AppendixReadError({ message: `Tệp quá lớn (${mb(bytes.length)} MB); giới hạn là ${mb(maxBytes)} MB.` });
  }
  if (bytes.length === 0) throw new AppendixReadError({ message: 'Tệp rỗng: không có dữ liệu để nhập.' });
}

/** Offset of the first byte that breaks UTF-8, or -1 when all of it is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Decodes a text or CSV input (UTF-8, BOM-marked UTF-16 or Windows-1258) into composed text. */
export function decodeText(bytes: Uint8Array): string {
  return rawText(bytes).normalize('NFC');
}

function rawText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return validUtf8(bytes.subarray(3), 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return validUtf8(bytes, 0);
}

/** Text in UTF-16 has a zero byte in most of its first characters (Latin letters, digits, tabs). */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 400);
  let zeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) zeros++;
  return zeros * 4 >= sample.length;
}

function validUtf8(bytes: Uint8Array, shift: number): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0 && !looksLikeUtf16(bytes)) {
    throw new AppendixReadError({
      row: lineOf(bytes, nul),
      message: `Tệp có byte rỗng (NUL) ở dòng ${lineOf(bytes, nul)} (vị trí byte ${nul + shift + 1}): đây không phải tệp văn bản hay CSV. Hãy gửi tệp .xlsx, .docx, .csv hoặc .txt.`,
    });
  }
  if (nul >= 0) {
    throw new AppendixReadError({
      row: lineOf(bytes, nul),
      message:
        'Tệp có vẻ là UTF-16 nhưng không có dấu BOM, nên không xác định được thứ tự byte. Hãy lưu lại tệp với mã hoá UTF-8.',
    });
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    // A byte order mark says UTF-8; without one, Windows-1258 is the other encoding Excel writes.
    const legacy = shift === 0 ? decodeWindows1258(bytes) : undefined;
    if (legacy !== undefined) return legacy;
    const line = lineOf(bytes, bad);
    throw new AppendixReadError({
      row: line,
      message:
        `Tệp không phải mã hoá UTF-8: byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')} ở dòng ${line} (vị trí byte ${bad + shift + 1}) không hợp lệ, ` +
        'và đọc theo Windows-1258 cũng không ra chữ tiếng Việt. ' +
        'Có thể tệp được lưu bằng TCVN3 (ABC) hoặc VNI; hãy lưu lại với mã hoá UTF-8.',
    });
  }
  return new TextDecoder('utf-8').decode(bytes);
}
