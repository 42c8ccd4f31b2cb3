import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { OrderRegisterPage } from './OrderRegisterPage';

const order = {
  id: '0193a5b0-0000-7000-8000-0000000000d1',
  number: 'П-2026-00001',
  complaint_id: '0193a5b0-0000-7000-8000-0000000000c1',
  complaint_number: 'СУР-2026-000042',
  address: 'г. Сургут, ул. Ленина, 1',
  company_id: '0193a5b0-0000-7000-8000-0000000000e1',
  company_name: 'ООО «УК Север»',
  issued_at: '2026-12-01T10:00:00Z',
  due_at: '2026-12-10T10:00:00Z',
  checked_at: null,
  status: 'fined',
  fined_rub: 45000,
  pdf_url: '/api/v1/orders/0193a5b0-0000-7000-8000-0000000000d1/document.pdf',
};

describe('OrderRegisterPage', () => {
  it('lists orders with status and totals, filters by status and previews the printed order', async () => {
    const queries: Record<string, string>[] = [];
    stubFetch({
      'GET /api/v1/registers/orders': (request: Request) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        const items = query.status === 'open' ? [] : [order];
        return json(200, { items, next_cursor: null, totals: { count: items.length, sum_rub: items.length ? 45000 : 0 } });
      },
      'GET /api/v1/orders/0193a5b0-0000-7000-8000-0000000000d1/document.html': () =>
        new Response('<!doctype html><pre>ПРЕДПИСАНИЕ № П-2026-00001</pre>', { status: 200, headers: { 'content-type': 'text/html' } }),
    });
    renderWithProviders(<OrderRegisterPage />);
    const table = await screen.findByTestId('order-register');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('П-2026-00001');
    expect(row).toHaveTextContent('Оштрафовано');
    expect(row).toHaveTextContent('ООО «УК Север»');
    expect(screen.getByTestId('order-register-totals')).toHaveTextContent('Всего: 1');

    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: /Просмотр/ }));
    const frame = await screen.findByTitle('Предписание П-2026-00001');
    expect(frame.getAttribute('srcdoc')).toContain('ПРЕДПИСАНИЕ');

    await user.selectOptions(screen.getByLabelText('Статус'), 'open');
    await user.click(screen.getByRole('button', { name: 'Показать' }));
    expect(await screen.findByText('Записей нет.')).toBeInTheDocument();
    expect(queries.at(-1)).toMatchObject({ status: 'open' });
  });
});
