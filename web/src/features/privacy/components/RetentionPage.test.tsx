import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { RetentionPage } from './RetentionPage';

describe('RetentionPage', () => {
  it('shows the schedule, what is due next and the passes that erased or deleted something', async () => {
    stubFetch({
      'GET /api/v1/admin/retention': () =>
        json(200, {
          schedule: { personal_data_days: 1826, attachments_days: 1096, audit_log_days: 1826, idempotency_key_hours: 24 },
          next: { personal_data_at: '2031-03-01T10:00:00Z', attachments_at: null, audit_log_at: null, personal_data_within_30_days: 2, erasure_requests_waiting: 1 },
          runs: [{ at: '2026-12-06T10:00:00Z', complaints_erased: 3, attachments_deleted: 4, audit_entries_deleted: 0, idempotency_keys_deleted: 12 }],
        }),
    });
    renderWithProviders(<RetentionPage />);
    const schedule = await screen.findByTestId('retention-schedule');
    const personal = within(schedule).getByText('Персональные данные закрытых жалоб').closest('tr')!;
    expect(personal).toHaveTextContent('1826 дн.');
    expect(personal).toHaveTextContent('1 марта 2031');
    expect(within(schedule).getByText('Вложения закрытых жалоб').closest('tr')).toHaveTextContent('нет данных к удалению');
    expect(screen.getByTestId('retention-due')).toHaveTextContent('в ближайшие 30 дней: 2 жалоб');
    expect(screen.getByTestId('retention-due')).toHaveTextContent('по запросу на удаление: 1');
    const run = within(screen.getByTestId('retention-runs')).getAllByRole('row')[1]!;
    expect(run).toHaveTextContent('3');
    expect(run).toHaveTextContent('12');
  });
});
