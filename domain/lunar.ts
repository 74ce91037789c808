import { isIsoDate, isoDate } from './calendar.ts';
import type { IsoDate } from './types.ts';

// The Vietnamese lunisolar calendar, computed astronomically the way the Vietnamese calendar has
// been since 1968: a month starts on the local day of a new moon, month 11 contains the December
// solstice, and in a year of 13 months (month 11 to the next month 11) the first month without a
// major solar term (sun longitude a multiple of 30°) is the leap month. Everything hinges on the
// time zone: Vietnam reckons at UTC+7, China at UTC+8, which is why Tết sometimes differs by a day
// (2007, 2030) or even a month (1985). New moons and sun longitudes follow Jean Meeus,
// "Astronomical Algorithms" (2nd ed.), chapters 49 and 25: good to a minute or so, so a month whose
// new moon (or a term whose moment) falls within that of local midnight may start a day off what a
// full ephemeris gives; at UTC+7 that happens to 7 of the 3,711 months of 1900–2199.

/** A day of the lunar calendar; `leap` marks the days of a leap (intercalary) month. */
export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

/** Gregorian years supported, inclusive: ΔT (below) is fitted for them, and no further. */
export const lunarYearRange = { first: 1900, last: 2199 } as const;

/** Vietnam's legal time, UTC+7, in hours. */
export const vietnamTimeZone = 7;

/** The Gregorian date of Tết (1/1 lunar) in Gregorian `year`. */
export function lunarNewYear(year: number, timeZone = vietnamTimeZone): IsoDate {
  checkYear(year, 'year');
  checkTimeZone(timeZone);
  const first = monthsFromMonth11(year - 1, timeZone).find((m) => m.month === 1 && !m.leap);
  // Months 11 and 12 (and a leap 11 or 12) come before month 1, which is always in the list.
  return fromJdn(first!.start);
}

/** The Gregorian date of a lunar date; RangeError when that lunar day does not exist. */
export function lunarToSolar(
  lunar: { year: number; month: number; day: number; leap?: boolean },
  timeZone = vietnamTimeZone,
): IsoDate {
  const { year, month, day, leap = false } = lunar;
  // Lunar months 11 and 12 of the last supported year end in the next Gregorian year, and those of
  // the year before the first one begin inside it; the result's own range is checked below.
  checkYear(year, 'lunar year', 1);
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`lunar month must be 1–12, got ${month}`);
  if (!Number.isInteger(day) || day < 1 || day > 30) throw new RangeError(`lunar day must be 1–30, got ${day}`);
  checkTimeZone(timeZone);

  const found = monthsFromMonth11(month >= 11 ? year : year - 1, timeZone).find(
    (m) => m.month === month && m.leap === leap && m.year === year,
  );
  if (found === undefined) throw new RangeError(`lunar year ${year} has no leap month ${month}`);
  if (day > found.length) {
    throw new RangeError(
      `lunar month ${month}${leap ? ' (leap)' : ''} of ${year} has ${found.length} days, not ${day}`,
    );
  }
  return fromJdn(checkJdnInRange(found.start + day - 1));
}

/** The lunar date of a Gregorian date. */
export function solarToLunar(day: IsoDate, timeZone = vietnamTimeZone): LunarDate {
  if (!isIsoDate(day)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const jdn = checkJdnInRange(toJdn(day));
  checkTimeZone(timeZone);
  const gregorianYear = Number(day.slice(0, 4));
  // Days from month 11 on belong to the lunar year counted from this December's month 11.
  const from = newMoonDay(month11(gregorianYear, timeZone), timeZone) <= jdn ? gregorianYear : gregorianYear - 1;
  const months = monthsFromMonth11(from, timeZone);
  const month = months.findLast((m) => m.start <= jdn)!;
  return { year: month.year, month: month.month, day: jdn - month.start + 1, leap: month.leap };
}

/** The leap month of lunar `year` (1–12), or undefined in a year of twelve months. */
export function leapMonth(year: number, timeZone = vietnamTimeZone): number | undefined {
  checkYear(year, 'lunar year');
  checkTimeZone(timeZone);
  // `year`'s months 1–10 are in the span from the previous month 11, its months 11 and 12 in the next.
  const months = [...monthsFromMonth11(year - 1, timeZone), ...monthsFromMonth11(year, timeZone)];
  return months.find((m) => m.leap && m.year === year)?.month;
}

// ---- Lunar months -------------------------------------------------------------------------------

interface LunarMonth {
  year: number;
  month: number;
  leap: boolean;
  /** Julian day number of the month's first day. */
  start: number;
  length: number;
}

/** The 12 or 13 months from month 11 of lunar year `year` up to, not including, the next month 11. */
function monthsFromMonth11(year: number, timeZone: number): LunarMonth[] {
  const first = month11(year, timeZone);
  const count = month11(year + 1, timeZone) - first;
  const starts = Array.from({ length: count + 1 }, (_, i) => newMoonDay(first + i, timeZone));

  let leapIndex = -1;
  if (count === 13) {
    // 12 major terms for 13 months: at least one month has none, and the first such is the leap.
    for (let i = 1; i <= 12 && leapIndex < 0; i++) {
      if (majorTermIndex(starts[i]!, timeZone) === majorTermIndex(starts[i + 1]!, timeZone)) leapIndex = i;
    }
    if (leapIndex < 0) throw new Error(`no month without a major term after month 11 of ${year}`);
  }

  const months: LunarMonth[] = [];
  for (let i = 0; i < count; i++) {
    // Months after the leap month take the number they would have had one position earlier.
    const ordinal = leapIndex >= 0 && i >= leapIndex ? i - 1 : i;
    const month = ((ordinal + 10) % 12) + 1;
    months.push({
      year: month >= 11 ? year : year + 1,
      month,
      leap: i === leapIndex,
      start: starts[i]!,
      length: starts[i + 1]! - starts[i]!,
    });
  }
  return months;
}

/** Index (k, as in Meeus) of the new moon that starts month 11: the month holding the December solstice. */
function month11(year: number, timeZone: number): number {
  const lastDay = toJdn(isoDate(year, 12, 31));
  // The last new moon on or before 31 December; the estimate may be one off either way.
  let k = Math.floor((lastDay - 2451550.1) / synodicMonth);
  while (newMoonDay(k + 1, timeZone) <= lastDay) k++;
  while (newMoonDay(k, timeZone) > lastDay) k--;
  // If that month began after the solstice (sun already at 270°), month 11 is the one before.
  return sunLongitudeAtDayStart(newMoonDay(k, timeZone), timeZone) >= 270 ? k - 1 : k;
}

/** The major term (0 for 0°–30°, …, 11) the sun is in when the local day `jdn` begins. */
function majorTermIndex(jdn: number, timeZone: number): number {
  return Math.floor(sunLongitudeAtDayStart(jdn, timeZone) / 30);
}

/** The local day (Julian day number) of new moon `k`. */
function newMoonDay(k: number, timeZone: number): number {
  const ut = newMoonJde(k) - deltaTSeconds(newMoonJde(k)) / 86_400;
  return Math.floor(ut + 0.5 + timeZone / 24);
}

function sunLongitudeAtDayStart(jdn: number, timeZone: number): number {
  // Local midnight opening day `jdn`, in UT, then in dynamical time for the theory.
  const ut = jdn - 0.5 - timeZone / 24;
  return sunApparentLongitude(ut + deltaTSeconds(ut) / 86_400);
}

// ---- Astronomy (Meeus) --------------------------------------------------------------------------

const synodicMonth = 29.530588861;
const toRadians = Math.PI / 180;
const sin = (degrees: number): number => Math.sin(degrees * toRadians);

/** Julian ephemeris day (TT) of mean-corrected new moon `k`; k = 0 is the one of 6 January 2000 (Meeus ch. 49). */
function newMoonJde(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  const jde = 2451550.09766 + synodicMonth * k + 0.00015437 * t2 - 0.00000015 * t3 + 0.00000000073 * t4;
  // Eccentricity of Earth's orbit, scaling the terms that contain the sun's anomaly.
  const e = 1 - 0.002516 * t - 0.0000074 * t2;
  const m = 2.5534 + 29.1053567 * k - 0.0000014 * t2 - 0.00000011 * t3;
  const mm = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
  const f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
  const omega = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

  const periodic =
    -0.4072 * sin(mm) +
    0.17241 * e * sin(m) +
    0.01608 * sin(2 * mm) +
    0.01039 * sin(2 * f) +
    0.00739 * e * sin(mm - m) -
    0.00514 * e * sin(mm + m) +
    0.00208 * e * e * sin(2 * m) -
    0.00111 * sin(mm - 2 * f) -
    0.00057 * sin(mm + 2 * f) +
    0.00056 * e * sin(2 * mm + m) -
    0.00042 * sin(3 * mm) +
    0.00042 * e * sin(m + 2 * f) +
    0.00038 * e * sin(m - 2 * f) -
    0.00024 * e * sin(2 * mm - m) -
    0.00017 * sin(omega) -
    0.00007 * sin(mm + 2 * m) +
    0.00004 * sin(2 * mm - 2 * f) +
    0.00004 * sin(3 * m) +
    0.00003 * sin(mm + m - 2 * f) +
    0.00003 * sin(2 * mm + 2 * f) -
    0.00003 * sin(mm + m + 2 * f) +
    0.00003 * sin(mm - m + 2 * f) -
    0.00002 * sin(mm - m - 2 * f) -
    0.00002 * sin(3 * mm + m) +
    0.00002 * sin(4 * mm);

  // Planetary perturbations: [amplitude in days, argument at k = 0, degrees per lunation].
  const planetary: readonly (readonly [number, number, number])[] = [
    [0.000325, 299.77 - 0.009173 * t2, 0.107408],
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  const additional = planetary.reduce((sum, [amplitude, base, rate]) => sum + amplitude * sin(base + rate * k), 0);

  return jde + periodic + additional;
}

/** The sun's apparent geocentric longitude in degrees, 0 ≤ λ < 360, at Julian ephemeris day `jde` (Meeus ch. 25). */
function sunApparentLongitude(jde: number): number {
  const t = (jde - 2451545) / 36525;
  const meanLongitude = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
  const center =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m) +
    (0.019993 - 0.000101 * t) * sin(2 * m) +
    0.000289 * sin(3 * m);
  // Nutation and aberration, in their short form.
  const omega = 125.04 - 1934.136 * t;
  const apparent = meanLongitude + center - 0.00569 - 0.00478 * sin(omega);
  return ((apparent % 360) + 360) % 360;
}

/**
 * ΔT = TT − UT in seconds at Julian day `jd`, from the polynomials of Espenak and Meeus (NASA,
 * 2006). Past today they are a forecast; the error, a minute or two by 2199, moves a month's start
 * only when a new moon falls within that of local midnight.
 */
function deltaTSeconds(jd: number): number {
  const y = 2000 + (jd - 2451545) / 365.25;
  if (y < 1900) {
    const t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174;
  }
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

// ---- Days and checks ----------------------------------------------------------------------------

const msPerDay = 86_400_000;
/** Julian day number of 1970-01-01. */
const unixEpochJdn = 2440588;

function toJdn(day: IsoDate): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / msPerDay + unixEpochJdn;
}

function fromJdn(jdn: number): IsoDate {
  const date = new Date((jdn - unixEpochJdn) * msPerDay);
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const firstJdn = toJdn(isoDate(lunarYearRange.first, 1, 1));
const lastJdn = toJdn(isoDate(lunarYearRange.last, 12, 31));

function checkJdnInRange(jdn: number): number {
  if (jdn < firstJdn || jdn > lastJdn) {
    throw new RangeError(
      `the lunar calendar is computed for ${lunarYearRange.first}–${lunarYearRange.last} only, not ${fromJdn(jdn)}`,
    );
  }
  return jdn;
}

function checkYear(year: number, what: string, slackBefore = 0): void {
  const first = lunarYearRange.first - slackBefore;
  if (!Number.isInteger(year) || year < first || year > lunarYearRange.last) {
    throw new RangeError(`${what} must be an integer in ${first}–${lunarYearRange.last}, got ${year}`);
  }
}

function checkTimeZone(timeZone: number): void {
  if (!Number.isFinite(timeZone) || timeZone < -12 || timeZone > 14) {
    throw new RangeError(`time zone must be hours from UTC in −12…14, got ${timeZone}`);
  }
}
