import iconv from 'iconv-lite';

// Excel on a Vietnamese Windows saves "CSV (Comma delimited)" in Windows-1258: most letters are a
// base letter followed by a combining tone mark, so the text is composed (NFC) once decoded.
// Bytes that are not UTF-8 are read this way only when every character then is one Vietnamese is
// written with; TCVN3 (ABC), VNI or UTF-8 mixed with something else read as Windows-1258 give
// symbols ("¸", "µ", "»") or marks on consonants, and are refused rather than garbled.

/** The marks Vietnamese letters carry: the five tones, circumflex, breve and horn. */
const VIETNAMESE_MARKS = new Set([0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31b]);
/** Punctuation a Windows-1258 plan may hold besides ASCII. */
const PUNCTUATION = new Set([...'\u00a0–—‘’“”…•°§']);
const VOWELS = /^[aeiouyAEIOUY]$/;

function isVietnameseLetter(ch: string): boolean {
  if (ch === 'đ' || ch === 'Đ') return true;
  const [base, ...marks] = ch.normalize('NFD');
  return (
    base !== undefined &&
    VOWELS.test(base) &&
    marks.length > 0 &&
    marks.every((mark) => VIETNAMESE_MARKS.has(mark.codePointAt(0)!))
  );
}

/** Index (in the text) of the first character Vietnamese text would not hold, or -1. */
export function firstForeignCharacter(text: string): number {
  const verdicts = new Map<string, boolean>();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if ((code >= 0x20 && code < 0x7f) || ch === '\t' || ch === '\n' || ch === '\r') continue;
    let fine = verdicts.get(ch);
    if (fine === undefined) {
      fine = PUNCTUATION.has(ch) || isVietnameseLetter(ch);
      verdicts.set(ch, fine);
    }
    if (!fine) return i;
  }
  return -1;
}

/** The bytes read as Windows-1258 and composed, or undefined when that does not give Vietnamese. */
export function decodeWindows1258(bytes: Uint8Array): string | undefined {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1258');
  const composed = text.normalize('NFC');
  return firstForeignCharacter(composed) < 0 ? composed : undefined;
}
