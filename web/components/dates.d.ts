// The types of dates.js, for the server's TypeScript (its unit test imports the web module).
export function daysInMonth(year: number, month: number): number;
export function isoOf(y: number, m: number, d: number): string | null;
export function parseDay(text: string): string | null;
export function showDay(iso: string | null | undefined): string;
export function monthWeeks(year: number, month: number): (string | null)[][];
export function shiftMonth(year: number, month: number, step: number): { year: number; month: number };
