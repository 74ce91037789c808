import { describe, expect, it } from 'vitest';
import { bootstrapAnnouncement } from '../../runtime/bootstrap-announcement.ts';

const generated = {
  token: 'dd_Qm9vdHN0cmFwLXRva2VuLWZvci10aGUtdGVzdC0xMjM0NQ',
  file: '/srv/dondoc/.data/bootstrap-token',
};

describe('the first coordinator token at start', () => {
  it('is printed to a person at a terminal, with the file that keeps it', () => {
    const text = bootstrapAnnouncement(generated, true);
    expect(text).toContain(generated.token);
    expect(text).toContain(generated.file);
  });

  it('is not printed when standard output goes to a file or a log collector: only where it is kept', () => {
    const text = bootstrapAnnouncement(generated, false);
    expect(text).not.toContain(generated.token);
    expect(text).not.toContain(generated.token.slice(3, 20));
    expect(text).toContain(generated.file);
  });
});
