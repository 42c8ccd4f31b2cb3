import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessagingSettings } from '@/lib/api/types';
import { sessionStore } from '@/lib/auth/session';
import { json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { MessagingSettingsPage } from './MessagingSettingsPage';

const resident: MessagingSettings = {
  choices: [
    { kind: 'done', channel: 'in_app', enabled: true },
    { kind: 'done', channel: 'sms', enabled: false },
    { kind: 'done', channel: 'email', enabled: true },
    { kind: 'closed', channel: 'sms', enabled: false },
  ],
  digest_offered: false,
  digest_minutes: null,
  digest_min_minutes: 5,
  digest_max_minutes: 1440,
  language: 'ru',
  phone: '+79220000001',
  email: 'resident@demo.test',
  sms_stopped: true,
  sms_stopped_at: '2026-03-02T10:15:00Z',
};

beforeEach(() => sessionStore.set('token', 3600));
afterEach(() => sessionStore.clear());

describe('MessagingSettingsPage', () => {
  it('shows the grid and resumes SMS after STOP by switching them on', async () => {
    const sent: MessagingSettings['choices'][] = [];
    stubFetch({
      'GET /api/v1/me/messaging': () => json(200, resident),
      'PUT /api/v1/me/messaging': async (request) => {
        const body = (await request.json()) as MessagingSettings;
        sent.push(body.choices);
        return json(200, { ...resident, choices: body.choices, sms_stopped: false, sms_stopped_at: null });
      },
    });
    renderWithProviders(<MessagingSettingsPage />);
    expect(await screen.findByRole('checkbox', { name: 'УК сообщила о выполнении: Эл. почта' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Жалоба закрыта: SMS' })).not.toBeChecked();
    expect(screen.getAllByLabelText('недоступно')).toHaveLength(2);
    expect(screen.getByTestId('sms-stopped')).toHaveTextContent('СТОП');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Возобновить SMS' }));
    await waitFor(() => expect(screen.queryByTestId('sms-stopped')).toBeNull());
    expect(sent).toHaveLength(1);
    expect(sent[0]?.filter((c) => c.channel === 'sms').every((c) => c.enabled)).toBe(true);
    expect(screen.getByRole('checkbox', { name: 'Жалоба закрыта: SMS' })).toBeChecked();
  });

  it('checks the digest interval before sending and shows the server refusal', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/me/messaging': () =>
        json(200, {
          ...resident,
          choices: [{ kind: 'new_for_company', channel: 'email', enabled: true }],
          digest_offered: true,
          sms_stopped: false,
          sms_stopped_at: null,
        }),
      'PUT /api/v1/me/messaging': () =>
        problem(422, 'validation_failed', { errors: { 'choices[0]': ['new_for_company by sms is not a choice for this account'] } }),
    });
    renderWithProviders(<MessagingSettingsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText('Сводка раз в несколько минут'));
    const minutes = screen.getByLabelText(/Интервал сводки/);
    await user.clear(minutes);
    await user.type(minutes, '2');
    await user.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByText('Укажите целое число минут от 5 до 1440.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not a choice for this account');
  });
});
