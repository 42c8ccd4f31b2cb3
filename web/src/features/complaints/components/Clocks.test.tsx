import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Clock } from '@/lib/api/types';
import { ru } from '@/lib/i18n/ru';
import { renderWithProviders } from '@/testing/render';
import { Clocks } from './Clocks';

const base = {
  round: 1,
  started_at: '2026-03-02T05:00:00Z',
  paused_at: null,
  met_at: null,
  missed_at: null,
  stopped_at: null,
  name_ru: '',
  name_en: '',
};

const clocks: Clock[] = [
  { ...base, code: 'localise', basis: 'PP 416 p. 13', due_at: '2026-03-02T05:30:00Z', state: 'met', met_at: '2026-03-02T05:20:00Z' },
  { ...base, code: 'fix', basis: 'PP 416 p. 13 (fix)', due_at: '2026-03-05T05:00:00Z', state: 'missed', missed_at: '2026-03-05T05:00:00Z' },
  { ...base, code: 'city_answer', basis: '59-FZ art. 12', due_at: '2026-04-01T18:59:59Z', state: 'running' },
];

describe('Clocks', () => {
  it('shows each legal clock with its state badge, due time and basis', () => {
    renderWithProviders(<Clocks clocks={clocks} />);
    const section = screen.getByTestId('clocks');
    expect(within(section).getByRole('heading', { name: ru['clocks.title'] })).toBeTruthy();
    const localise = screen.getByTestId('clock-localise');
    expect(localise.dataset.state).toBe('met');
    expect(within(localise).getByText(ru['clockState.met']).className).toContain('badge--done');
    expect(within(localise).getByText('PP 416 p. 13')).toBeTruthy();
    const fix = screen.getByTestId('clock-fix');
    expect(within(fix).getByText(ru['clockState.missed']).className).toContain('badge--overdue');
    expect(within(screen.getByTestId('clock-city_answer')).getByText(ru['clock.city_answer'])).toBeTruthy();
  });

  it('shows nothing for a complaint loaded without its clocks (a list item)', () => {
    renderWithProviders(<Clocks clocks={undefined} />);
    expect(screen.queryByTestId('clocks')).toBeNull();
  });
});
