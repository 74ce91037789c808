import { describe, expect, it } from 'vitest';
import {
  deliveryMode,
  effectivePreferences,
  isEmailAddress,
  notificationKinds,
} from '../../domain/delivery-preferences.ts';

describe('who gets what when', () => {
  it('sends escalations and returned deliverables at once, and reminders in the digest, by default', () => {
    expect(deliveryMode('escalation', {})).toBe('immediate');
    expect(deliveryMode('returned', {})).toBe('immediate');
    expect(deliveryMode('reminder', {})).toBe('digest');
    expect(deliveryMode('report-reminder', {})).toBe('digest');
  });

  it("follows the contact's own choice over the default, kind by kind", () => {
    const preferences = { reminder: 'immediate', escalation: 'digest' } as const;
    expect(deliveryMode('reminder', preferences)).toBe('immediate');
    expect(deliveryMode('escalation', preferences)).toBe('digest');
    expect(deliveryMode('returned', preferences)).toBe('immediate');
  });

  it('sends a kind it does not know at once rather than holding it back', () => {
    expect(deliveryMode('something-new', {})).toBe('immediate');
  });

  it('lists every kind with its effective mode', () => {
    const modes = effectivePreferences({ 'report-late': 'digest' });
    expect(Object.keys(modes).sort()).toEqual([...notificationKinds].sort());
    expect(modes['report-late']).toBe('digest');
    expect(modes.escalation).toBe('immediate');
  });

  it('checks e-mail addresses plainly', () => {
    expect(isEmailAddress('vanthu@syt.vinhphuc.gov.vn')).toBe(true);
    expect(isEmailAddress('van thu@syt.gov.vn')).toBe(false);
    expect(isEmailAddress('vanthu@localhost')).toBe(false);
    expect(isEmailAddress('<a@b.vn>')).toBe(false);
  });
});
