import { describe, expect, it } from 'vitest';
import { monthWeeks, parseDay, shiftMonth, showDay } from '../../web/components/dates.ts';

// The app's date field reads a day as Vietnamese officials write it, day first, whatever the
// browser's language: what a person types is either one real day or refused, never a guess.

describe('the date field reads what people type', () => {
  it.each(['5/3/2027', '05/03/2027', '5-3-2027', '05-03-2027', '5.3.2027', ' 5 / 3 / 2027 ', '5/3/27', '2027-03-05'])(
    '%s is 5 March 2027',
    (text) => expect(parseDay(text)).toBe('2027-03-05'),
  );

  it('is day first even when the day could be a month', () => {
    expect(parseDay('03/05/2027')).toBe('2027-05-03');
    expect(parseDay('12/1/2026')).toBe('2026-01-12');
  });

  it.each(['31/02/2027', '29/02/2027', '13/13/2027', '0/3/2027', '32/1/2027', '3/2027', 'mai', '', '5/3/202', '5/3'])(
    'refuses %j, which is not one real day',
    (text) => expect(parseDay(text)).toBeNull(),
  );

  it('knows leap years', () => {
    expect(parseDay('29/02/2028')).toBe('2028-02-29');
    expect(parseDay('29/2/2100')).toBeNull();
    expect(parseDay('29/2/2000')).toBe('2000-02-29');
  });

  it('shows a day as dd/mm/yyyy', () => {
    expect(showDay('2027-03-05')).toBe('05/03/2027');
    expect(showDay(null)).toBe('');
    expect(showDay(parseDay('5-3-2027'))).toBe('05/03/2027');
  });
});

describe("the date field's calendar", () => {
  it('lays a month out in weeks from Monday', () => {
    // 1 March 2027 is a Monday; 31 March a Wednesday.
    const march = monthWeeks(2027, 3);
    expect(march[0]?.[0]).toBe('2027-03-01');
    expect(march.at(-1)).toEqual(['2027-03-29', '2027-03-30', '2027-03-31', null, null, null, null]);
    // 1 February 2026 is a Sunday: the last cell of the first week.
    const february = monthWeeks(2026, 2);
    expect(february[0]).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(february.flat().filter(Boolean)).toHaveLength(28);
  });

  it('steps across years', () => {
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth(2027, 1, -1)).toEqual({ year: 2026, month: 12 });
  });
});
