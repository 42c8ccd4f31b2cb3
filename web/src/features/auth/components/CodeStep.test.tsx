import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { sessionStore } from '@/lib/auth/session';
import { demoUsers, json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { CodeStep } from './CodeStep';

const started = { registration_id: '0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f', code_length: 6, expires_in: 600, resend_in: 60 };

describe('CodeStep', () => {
  it('offers the code from the SMS, says how many tries are left, then signs in', async () => {
    let tries = 0;
    const { requests } = stubFetch({
      'POST /api/v1/auth/register/confirm': () =>
        ++tries === 1
          ? problem(422, 'wrong_code', { remaining_attempts: 4 })
          : json(201, {
              access_token: 'token-new',
              token_type: 'Bearer',
              expires_in: 900,
              refresh_token: 'refresh-new',
              refresh_expires_in: 2592000,
              user: demoUsers.resident,
            }),
    });
    const onSignedIn = vi.fn();
    renderWithProviders(<CodeStep started={started} phone="+79123456789" onSignedIn={onSignedIn} />);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Введите код из SMS');
    const input = screen.getByLabelText('Код из SMS');
    expect(input).toHaveAttribute('autocomplete', 'one-time-code');
    expect(input).toHaveAttribute('inputmode', 'numeric');
    // The resend waits for its minute.
    expect(screen.getByRole('button', { name: /Отправить код ещё раз можно через (60|59) с/ })).toBeDisabled();

    const user = userEvent.setup();
    await user.type(input, '12a34');
    await user.click(screen.getByRole('button', { name: 'Подтвердить' }));
    expect(input).toHaveAccessibleDescription(/Введите 6 цифр кода\./);
    expect(requests).toHaveLength(0);

    await user.type(input, '56');
    await user.click(screen.getByRole('button', { name: 'Подтвердить' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(/Неверный код\. Осталось попыток: 4\./));
    expect(await requests[0]!.json()).toEqual({ registration_id: started.registration_id, code: '123456' });

    await user.click(screen.getByRole('button', { name: 'Подтвердить' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(sessionStore.getToken()).toBe('token-new');
  });

  it('names an expired code in English too', async () => {
    stubFetch({ 'POST /api/v1/auth/register/confirm': () => problem(410, 'code_expired') });
    renderWithProviders(<CodeStep started={started} phone="+79123456789" onSignedIn={vi.fn()} />, { language: 'en' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Code from the SMS'), '123456');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Code from the SMS')).toHaveAccessibleDescription(/The code has expired\. Ask for a new one\./),
    );
  });
});
