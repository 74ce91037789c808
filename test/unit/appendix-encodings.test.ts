import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { decodeText } from '../../domain/appendix/decode.ts';
import { previewPlan, sniffFormat } from '../../domain/appendix/preview.ts';

// CSV files as Excel saves them on a Vietnamese Windows: "Unicode Text" (UTF-16 with a byte
// order mark, tab-separated) and "CSV (Comma delimited)" in Windows-1258.

const registry = registryFromJson({
  registry: 'tinh-thu',
  qualifiers: ['tỉnh'],
  agencies: [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', kind: 'department' },
    { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'department' },
    { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', kind: 'department' },
  ],
  groups: [],
});

const rows = [
  ['STT', 'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
  ['I', 'CẢI CÁCH THỂ CHẾ', '', '', ''],
  ['1', 'Rà soát, hệ thống hóa văn bản quy phạm pháp luật', 'Sở Tư pháp', 'Sở Nội vụ', 'Quý IV/2026'],
  ['', 'Ghi chú: thực hiện theo hướng dẫn của Bộ Tư pháp', '', '', ''],
  ['2', 'Tổ chức lễ hội truyền thống ở đường phố', 'Sở Văn hóa, Thể thao và Du lịch', '', 'Tháng 8/2026'],
  ['3', 'Ứng dụng số trong quản lý đất đai, rừng và thủy lợi', 'Sở Nông nghiệp và Môi trường', '', 'Hằng năm'],
];
const table = (separator: string) => rows.map((r) => r.join(separator)).join('\r\n') + '\r\n';
const quoted = (separator: string) => rows.map((r) => r.map((c) => `"${c}"`).join(separator)).join('\r\n');

function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return new Uint8Array([0xfe, 0xff, ...be]);
}

/**
 * Text as Windows-1258 writes it: the letter with its shape (â, ơ, ư …) where the code page has it,
 * the tone as a combining mark after it.
 */
function windows1258(text: string): Uint8Array {
  const shapes = '\u0302\u0306\u031b';
  const split = text.normalize('NFD').replace(/(\p{L})(\p{M}+)/gu, (_all, letter: string, marks: string) => {
    const shape = [...marks].filter((m) => shapes.includes(m)).join('');
    const tones = [...marks].filter((m) => !shapes.includes(m)).join('');
    return (letter + shape).normalize('NFC') + tones;
  });
  return new Uint8Array(iconv.encode(split, 'windows-1258'));
}

async function expectTheTable(bytes: Uint8Array) {
  const result = await previewPlan({ bytes }, { registry });
  expect(result.errors).toEqual([]);
  expect(result.tasks.map((t) => [t.key, t.title, t.leads.map((l) => l.code)])).toEqual([
    ['1', rows[2]![1], ['STP']],
    ['2', rows[4]![1], ['SVHTTDL']],
    ['3', rows[5]![1], ['SNNMT']],
  ]);
  // Composed, as typed: each letter with its marks is one character.
  for (const task of result.tasks) expect(task.title).toBe(task.title.normalize('NFC'));
  expect(result.tasks[0]!.area).toBe('CẢI CÁCH THỂ CHẾ');
  return result;
}

describe('CSV in the encodings Excel writes', () => {
  it('reads UTF-16LE with a byte order mark, tab-separated, even with rows starting with a tab', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(table('\t'), 'utf16le')]);
    expect(sniffFormat(bytes)).toBe('csv');
    const result = await expectTheTable(bytes);
    expect(result.warnings.map((w) => w.row)).toEqual([4]);
  });

  it('reads UTF-16BE with a byte order mark', async () => {
    await expectTheTable(utf16be(quoted(',')));
  });

  it('reads Windows-1258, tones as combining marks, composing them', async () => {
    const bytes = windows1258(quoted(';'));
    // The tones of "ể" in "Thể" (U+0309) and of "ạ" (U+0323) are bytes of their own in this code page.
    expect(bytes).toContain(0xd2);
    expect(bytes).toContain(0xf2);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    await expectTheTable(bytes);
    expect(decodeText(windows1258('Đào tạo, bồi dưỡng; Ủy ban'))).toBe('Đào tạo, bồi dưỡng; Ủy ban');
  });

  it('composes decomposed UTF-8 (as some keyboards and macOS write it)', async () => {
    await expectTheTable(new TextEncoder().encode(quoted(',').normalize('NFD')));
  });

  it('refuses bytes that read as neither UTF-8 nor Vietnamese in Windows-1258 (TCVN3), naming the line', async () => {
    // "Sở Nội vụ" in TCVN3 (ABC): its letters land on symbols in Windows-1258.
    const tcvn3 = new Uint8Array([0x53, 0xab, 0x20, 0x4e, 0xe9, 0x69, 0x20, 0x76, 0xf6]);
    const header = new TextEncoder().encode('STT,Noi dung,Co quan chu tri,Thoi gian\n1,Viec A,');
    const result = await previewPlan({ bytes: new Uint8Array([...header, ...tcvn3, 0x2c, 0x32, 0x30]) }, { registry });
    expect(result.errors).toEqual([{ row: 2, message: expect.stringContaining('TCVN3') }]);
    expect(result.errors[0]!.message).toContain('dòng 2');
  });
});
