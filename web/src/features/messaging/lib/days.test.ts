import { describe, expect, it } from 'vitest';
import { addDays, cityDay, lastTwoWeeks } from './days';

describe('city days', () => {
  it('takes the day in Surgut (UTC+5), not in UTC', () => {
    expect(cityDay(new Date('2026-03-01T19:30:00Z'))).toBe('2026-03-02');
    expect(cityDay(new Date('2026-03-01T18:59:00Z'))).toBe('2026-03-01');
  });

  it('moves across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('defaults to fourteen days up to today', () => {
    expect(lastTwoWeeks(new Date('2026-03-14T06:00:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-14' });
  });
});
