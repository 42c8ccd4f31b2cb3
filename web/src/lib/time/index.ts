// Dates and times are always shown in the city's time zone, whatever the browser's own.
import type { Deadline } from '@/lib/api/types';
import type { I18n, Language, MessageKey } from '@/lib/i18n';

export const CITY_TIME_ZONE = 'Asia/Yekaterinburg';

const LOCALES: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}:${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(LOCALES[language], { timeZone: CITY_TIME_ZONE, ...options });
    formatters.set(key, found);
  }
  return found;
}

export function formatDateTime(iso: string, language: Language): string {
  return formatter(language, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string, language: Language): string {
  return formatter(language, { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

export function formatMoney(amount: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 }).format(
    amount,
  );
}

type Plural = 'one' | 'few' | 'many' | 'other';
const pluralRules = new Map<Language, Intl.PluralRules>();
function plural(language: Language, n: number): Plural {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(LOCALES[language]);
    pluralRules.set(language, rules);
  }
  const form = rules.select(n);
  return form === 'one' || form === 'few' || form === 'many' ? form : 'other';
}

type Unit = 'hours' | 'working_days' | 'calendar_days';
function isUnit(unit: string): unit is Unit {
  return unit === 'hours' || unit === 'working_days' || unit === 'calendar_days';
}

/** A category's deadline in words: "24 hours", "10 working days". */
export function deadlineInWords(deadline: Deadline, { t, language }: Pick<I18n, 't' | 'language'>): string {
  const unit = isUnit(deadline.unit) ? deadline.unit : 'calendar_days';
  const key = `unit.${unit}.${plural(language, deadline.value)}` as MessageKey;
  return t(key, { n: deadline.value });
}

/** "3 h 20 min", "2 d 4 h": the two largest units of a duration. */
export function durationText(ms: number, { t }: Pick<I18n, 't'>): string {
  const minutes = Math.max(Math.floor(Math.abs(ms) / 60_000), 0);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${t('time.d', { n: days })} ${t('time.h', { n: hours })}` : t('time.d', { n: days });
  if (hours > 0) return mins > 0 ? `${t('time.h', { n: hours })} ${t('time.min', { n: mins })}` : t('time.h', { n: hours });
  if (minutes > 0) return t('time.min', { n: mins });
  return t('time.lessThanMinute');
}

/** "3 h left" or "overdue by 2 h". */
export function countdown(dueIso: string, now: number, i18n: Pick<I18n, 't'>): { overdue: boolean; text: string } {
  const diff = new Date(dueIso).getTime() - now;
  const time = durationText(diff, i18n);
  return diff >= 0 ? { overdue: false, text: i18n.t('time.left', { time }) } : { overdue: true, text: i18n.t('time.overdueBy', { time }) };
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** A `datetime-local` value read as city time ("2026-12-01T18:00" in Surgut) → ISO UTC; null if invalid. */
export function cityLocalToIso(value: string, timeZone = CITY_TIME_ZONE): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const guess = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const offset = zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - offset).toISOString();
}

/** An instant as a `datetime-local` value in city time, to the second. */
export function isoToCityLocal(iso: string, timeZone = CITY_TIME_ZONE): string {
  const instant = new Date(iso);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + zoneOffsetMs(instant, timeZone));
  return local.toISOString().slice(0, 19);
}
