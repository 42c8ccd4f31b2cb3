// Days of the delivery table, in the city's time zone, as the API takes them (YYYY-MM-DD).
import { CITY_TIME_ZONE } from '@/lib/time';

/** The calendar day of `at` in the city. */
export function cityDay(at: Date, timeZone = CITY_TIME_ZONE): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `day` moved by `days` (negative: back). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map((part) => Number.parseInt(part, 10));
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** The default range of the daily table: the last two weeks up to today. */
export function lastTwoWeeks(now: Date): { from: string; to: string } {
  const to = cityDay(now);
  return { from: addDays(to, -13), to };
}
