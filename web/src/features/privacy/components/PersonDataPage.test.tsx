import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { PersonDataPage } from './PersonDataPage';

describe('PersonDataPage', () => {
  it('erases a person found by phone with the reason, and shows the unknown phone as the server says', async () => {
    const bodies: unknown[] = [];
    stubFetch({
      'POST /api/v1/persons/erasure': async (request: Request) => {
        const body = (await request.json()) as { phone: string };
        bodies.push(body);
        return body.phone === '+79990000000'
          ? json(404, { type: 'urn:dispatch:problem:not_found', title: 'Не найдено', status: 404, code: 'not_found', detail: 'Nothing here' })
          : json(200, {
              erased: [{ id: 'a', number: 'СУР-2026-000007' }],
              kept: [],
              attachments_deleted: 1,
              account_anonymised: false,
              message: 'Персональные данные удалены из жалоб: 1; сохранены до закрытия: 0.',
            });
      },
    });
    renderWithProviders(<PersonDataPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Телефон заявителя'), '+79221234567');
    await user.type(screen.getByLabelText(/Основание \(запрос/), 'Заявление вх. № 17');
    await user.click(screen.getByRole('button', { name: 'Удалить данные заявителя' }));
    expect(await screen.findByTestId('erasure-report')).toHaveTextContent('удалены из жалоб: 1');
    expect(screen.queryByText('Учётная запись закрыта.', { exact: false })).toBeNull();
    expect(bodies).toEqual([{ phone: '+79221234567', reason: 'Заявление вх. № 17', ground: 'erasure_request' }]);
  });
});
