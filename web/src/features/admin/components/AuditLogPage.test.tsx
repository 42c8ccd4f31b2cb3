import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { AuditLogPage } from './AuditLogPage';

const dispatcher = { id: '0193a5b0-0000-7000-8000-000000000011', login: 'dispatcher@demo.test', name: 'Сидорова Анна', role: 'dispatcher' };
const reveal = {
  id: '0193a5b0-0000-7000-8000-0000000000a1',
  at: '2026-12-06T10:15:00Z',
  actor_id: dispatcher.id,
  actor_name: dispatcher.name,
  actor_role: 'dispatcher',
  action: 'reveal_phone',
  complaint_id: '0193a5b0-0000-7000-8000-0000000000c1',
  complaint_number: 'СУР-2026-000042',
  reason: 'Звонок по проверке выполнения',
  details: {},
};

describe('AuditLogPage', () => {
  it('shows who, what, which complaint and why, and filters by actor, action and complaint', async () => {
    const queries: Record<string, string>[] = [];
    stubFetch({
      'GET /api/v1/admin/audit-log': (request: Request) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        return json(200, { items: query.action === 'user_created' ? [] : [reveal], next_cursor: null });
      },
      'GET /api/v1/admin/users': () => json(200, { items: [{ ...dispatcher, is_active: true, created_at: '2026-11-28T09:00:00Z' }], next_cursor: null }),
    });
    renderWithProviders(<AuditLogPage />);
    const table = await screen.findByTestId('audit-log');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Сидорова Анна');
    expect(row).toHaveTextContent('Специалист ДГХ');
    expect(row).toHaveTextContent('Просмотр телефона');
    expect(row).toHaveTextContent('СУР-2026-000042');
    expect(row).toHaveTextContent('Звонок по проверке выполнения');

    const user = userEvent.setup();
    await screen.findByRole('option', { name: /Сидорова Анна/ });
    await user.selectOptions(screen.getByLabelText('Кто'), dispatcher.id);
    await user.selectOptions(screen.getByLabelText('Действие'), 'user_created');
    await user.click(screen.getByRole('button', { name: 'Показать' }));
    expect(await screen.findByText('Записей нет.')).toBeInTheDocument();
    expect(queries.at(-1)).toMatchObject({ actor_id: dispatcher.id, action: 'user_created' });

    await user.click(screen.getByRole('button', { name: 'Сбросить' }));
    await user.click(await screen.findByRole('button', { name: /СУР-2026-000042/ }));
    expect(await screen.findByTestId('audit-complaint-filter')).toHaveTextContent('СУР-2026-000042');
    expect(queries.at(-1)).toEqual({ limit: '50', complaint_id: reveal.complaint_id });
  });
});
