import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { ActRegisterPage } from './ActRegisterPage';

const act = {
  id: '0193a5b0-0000-7000-8000-0000000000a1',
  number: 'А-2026-00001',
  complaint_id: '0193a5b0-0000-7000-8000-0000000000c1',
  complaint_number: 'СУР-2026-000042',
  address: 'г. Сургут, ул. Ленина, 1',
  company_id: '0193a5b0-0000-7000-8000-0000000000e1',
  company_name: 'ООО «УК Север»',
  violation: true,
  findings: 'Течь трубы в подвале',
  inspector_name: 'Иванов И. И.',
  recorded_at: '2026-12-01T10:00:00Z',
  pdf_url: '/api/v1/acts/0193a5b0-0000-7000-8000-0000000000a1/document.pdf',
  html_url: '/api/v1/acts/0193a5b0-0000-7000-8000-0000000000a1/document.html',
};

describe('ActRegisterPage', () => {
  it('lists acts with totals, a PDF button per act, and filters by violation', async () => {
    const queries: Record<string, string>[] = [];
    stubFetch({
      'GET /api/v1/registers/acts': (request: Request) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        const items = query.violation === 'false' ? [] : [act];
        return json(200, { items, next_cursor: null, totals: { count: items.length, violations: items.length } });
      },
    });
    renderWithProviders(<ActRegisterPage />);
    const table = await screen.findByTestId('act-register');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('А-2026-00001');
    expect(row).toHaveTextContent('Выявлены');
    expect(row).toHaveTextContent('Течь трубы в подвале');
    expect(within(row).getByRole('button', { name: /PDF\s*акта А-2026-00001/ })).toBeInTheDocument();
    expect(screen.getByTestId('act-register-totals')).toHaveTextContent('Всего: 1, с нарушениями: 1');

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Нарушения'), 'false');
    await user.click(screen.getByRole('button', { name: 'Показать' }));
    expect(await screen.findByText('Записей нет.')).toBeInTheDocument();
    expect(queries.at(-1)).toMatchObject({ violation: 'false' });
  });
});
