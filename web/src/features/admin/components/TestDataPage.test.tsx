import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { TestDataPage } from './TestDataPage';

const tables = [
  { table: 'complaint_events', rows: 5 },
  { table: 'complaints', rows: 2 },
];

describe('TestDataPage', () => {
  it('shows the dry run per table and purges only after the typed words', async () => {
    const bodies: unknown[] = [];
    stubFetch({
      'POST /api/v1/admin/test-data/purge': async (request: Request) => {
        const body = (await request.json()) as { dry_run?: boolean };
        bodies.push(body);
        return body.dry_run
          ? json(200, { dry_run: true, deleted: false, total: 7, tables, message: 'Будет удалено тестовых строк: 7.' })
          : json(200, { dry_run: false, deleted: true, total: 7, tables, message: 'Удалено тестовых строк: 7.' });
      },
    });
    renderWithProviders(<TestDataPage />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Пробный прогон: посчитать' }));
    expect(await screen.findByTestId('purge-message')).toHaveTextContent('Будет удалено тестовых строк: 7.');
    expect(screen.getByTestId('purge-counts')).toHaveTextContent('complaint_events');

    const purge = screen.getByRole('button', { name: 'Удалить тестовые данные' });
    expect(purge).toBeDisabled();
    await user.type(screen.getByLabelText('Введите «УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ»'), 'удалить');
    expect(purge).toBeDisabled();
    await user.clear(screen.getByLabelText('Введите «УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ»'));
    await user.type(screen.getByLabelText('Введите «УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ»'), 'УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ');
    await user.click(purge);
    expect(await screen.findByText('Удалено тестовых строк: 7.')).toBeInTheDocument();
    expect(bodies).toEqual([{ dry_run: true }, { confirm: 'УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ' }]);
  });
});
