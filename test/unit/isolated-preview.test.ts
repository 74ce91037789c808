import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { previewIsolated } from '../../services/isolated-preview.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));
const seed = new Uint8Array(readFileSync(new URL('../fixtures/vinh-phuc-cchc-plan-2021-2025.txt', import.meta.url)));

describe('reading an appendix in a thread of its own', () => {
  it('gives the same preview as reading it in place', async () => {
    const isolated = await previewIsolated({ bytes: seed, format: 'text' }, { registry });
    const inPlace = await previewPlan({ bytes: seed, format: 'text' }, { registry });
    expect(isolated.tasks).toHaveLength(61);
    expect(isolated).toEqual(inPlace);
  });

  it('gives up a read that takes too long, with a Vietnamese error, and goes on answering', async () => {
    const preview = await previewIsolated(
      { bytes: seed, format: 'text' },
      { registry },
      { memoryMb: 512, timeoutMs: 1 },
    );
    expect(preview.tasks).toEqual([]);
    expect(preview.errors[0]!.message).toMatch(/^Đọc tệp quá .* giây nên đã dừng/);
  });

  it('gives up a read that needs more memory than allowed, instead of taking the process down', async () => {
    // 50,000 tasks need far more than 8 MiB to read: the thread is stopped, this process goes on.
    const rows = ['STT,Nội dung,Cơ quan chủ trì,Thời gian hoàn thành'];
    for (let i = 1; i <= 50_000; i++) rows.push(`${i},Rà soát thủ tục hành chính nhóm ${i},Sở Tư pháp,31/12/2026`);
    const large = new TextEncoder().encode(rows.join('\n'));
    const preview = await previewIsolated(
      { bytes: large, format: 'csv' },
      { registry },
      { memoryMb: 8, timeoutMs: 10_000 },
    );
    expect(preview.tasks).toEqual([]);
    expect(preview.errors).toEqual([{ message: expect.stringMatching(/^Đọc tệp cần quá 8 MB bộ nhớ nên đã dừng/) }]);
    const still = await previewIsolated({ bytes: seed, format: 'text' }, { registry });
    expect(still.tasks).toHaveLength(61);
  });
});
