import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { StatusPage } from './StatusPage';

describe('StatusPage', () => {
  it('checks the PIN format, says when nothing matches, then shows the status', async () => {
    let attempt = 0;
    const { requests } = stubFetch({
      'POST /api/v1/public/complaints/lookup': () => {
        attempt += 1;
        return attempt === 1
          ? problem(404, 'not_found')
          : json(200, {
              number: 'СУР-2026-000042',
              status: 'in_progress',
              round: 2,
              overdue: false,
              category_name_ru: 'Нет отопления',
              category_name_en: 'No heating',
              address: 'г. Сургут, проспект Ленина, д. 1',
              registered_at: '2026-11-28T06:00:00Z',
              due_at: '2099-11-29T06:00:00Z',
              steps: [
                { kind: 'registered', to: 'registered', at: '2026-11-28T06:00:00Z' },
                { kind: 'accept', to: 'in_progress', at: '2026-11-28T07:00:00Z' },
              ],
            });
      },
    });
    renderWithProviders(<StatusPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Номер жалобы', { exact: false }), 'сур-2026-000042');
    await user.type(screen.getByLabelText('PIN-код', { exact: false }), '12');
    await user.click(screen.getByRole('button', { name: 'Узнать статус' }));
    expect(screen.getByText('PIN-код — это 6 цифр.')).toBeInTheDocument();
    expect(requests).toHaveLength(0);

    await user.type(screen.getByLabelText('PIN-код', { exact: false }), '3456');
    await user.click(screen.getByRole('button', { name: 'Узнать статус' }));
    expect(await screen.findByText('Жалоба с таким номером и PIN-кодом не найдена.')).toBeInTheDocument();
    expect(await requests[0]!.json()).toEqual({ number: 'СУР-2026-000042', pin: '123456' });

    await user.click(screen.getByRole('button', { name: 'Узнать статус' }));
    const result = await screen.findByTestId('status-result');
    expect(result).toHaveTextContent('Жалоба СУР-2026-000042');
    expect(result).toHaveTextContent('В работе');
    expect(result).toHaveTextContent('Повторно: 2-й круг');
    expect(result).toHaveTextContent('Принята в работу');
    expect(result).toHaveTextContent('28.11.2026, 11:00');
  });

  it('takes the number from the link in the SMS, so only the PIN is left to type', async () => {
    const { requests } = stubFetch({
      'POST /api/v1/public/complaints/lookup': () => problem(404, 'not_found'),
    });
    renderWithProviders(<StatusPage />, { path: '/status?number=%D0%A1%D0%A3%D0%A0-2026-000042' });
    expect(screen.getByLabelText('Номер жалобы', { exact: false })).toHaveValue('СУР-2026-000042');
    const pin = screen.getByLabelText('PIN-код', { exact: false });
    expect(pin).toHaveFocus();
    const user = userEvent.setup();
    await user.type(pin, '123456');
    await user.click(screen.getByRole('button', { name: 'Узнать статус' }));
    await screen.findByText('Жалоба с таким номером и PIN-кодом не найдена.');
    expect(await requests[0]!.json()).toEqual({ number: 'СУР-2026-000042', pin: '123456' });
  });
});
