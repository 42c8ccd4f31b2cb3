import { describe, expect, it } from 'vitest';
import { translate } from '@/lib/i18n';
import { cityLocalToIso, countdown, deadlineInWords, formatDateTime, isoToCityLocal } from './index';

const ru = { language: 'ru' as const, t: (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('ru', k, p) };
const en = { language: 'en' as const, t: (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p) };

describe('time', () => {
  it('reads a datetime-local value as Surgut time (UTC+5)', () => {
    expect(cityLocalToIso('2026-12-01T18:00')).toBe('2026-12-01T13:00:00.000Z');
    expect(cityLocalToIso('2026-12-01T18:00:30')).toBe('2026-12-01T13:00:30.000Z');
    expect(cityLocalToIso('nonsense')).toBeNull();
    expect(isoToCityLocal('2026-12-01T13:00:30.000Z')).toBe('2026-12-01T18:00:30');
  });

  it('formats in the city time zone', () => {
    expect(formatDateTime('2026-12-01T13:00:00Z', 'ru')).toBe('01.12.2026, 18:00');
    expect(formatDateTime('2026-12-01T13:00:00Z', 'en')).toBe('01/12/2026, 18:00');
  });

  it('puts a deadline into words with Russian plurals', () => {
    expect(deadlineInWords({ unit: 'hours', value: 24 }, ru)).toBe('24 часа');
    expect(deadlineInWords({ unit: 'hours', value: 1 }, ru)).toBe('1 час');
    expect(deadlineInWords({ unit: 'hours', value: 72 }, ru)).toBe('72 часа');
    expect(deadlineInWords({ unit: 'hours', value: 5 }, ru)).toBe('5 часов');
    expect(deadlineInWords({ unit: 'working_days', value: 10 }, ru)).toBe('10 рабочих дней');
    expect(deadlineInWords({ unit: 'calendar_days', value: 1 }, ru)).toBe('1 календарный день');
    expect(deadlineInWords({ unit: 'working_days', value: 1 }, en)).toBe('1 working day');
    expect(deadlineInWords({ unit: 'hours', value: 2 }, en)).toBe('2 hours');
  });

  it('counts down and up', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(countdown('2026-12-01T13:20:00Z', now, ru)).toEqual({ overdue: false, text: 'осталось 3 ч 20 мин' });
    expect(countdown('2026-11-29T08:00:00Z', now, ru)).toEqual({ overdue: true, text: 'просрочено на 2 д 2 ч' });
    expect(countdown('2026-12-01T10:00:20Z', now, en).text).toBe('less than a minute left');
  });
});
