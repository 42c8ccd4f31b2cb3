import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { WebhooksPage } from './WebhooksPage';

const org = {
  id: '00000000-0000-4000-8000-0000000000e1',
  name: 'ООО «УК Северный город»',
  kind: 'management_company',
  grantable_scopes: ['complaints:read', 'webhooks'],
  created_at: '2026-11-01T00:00:00Z',
};

const created = {
  id: '00000000-0000-4000-8000-0000000000d1',
  organisation: { id: org.id, name: org.name },
  url: 'https://crm.uk-sever.ru/hooks',
  description: '',
  event_types: ['complaint.filed', 'complaint.closed'],
  enabled: true,
  disabled_reason: null,
  failing_since: null,
  previous_secret_valid_until: null,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
};

function routes(post: (request: Request) => Response | Promise<Response>) {
  return stubFetch({
    'GET /api/v1/webhooks/event-types': () => json(200, { items: [{ name: 'complaint.filed' }, { name: 'complaint.routed' }, { name: 'complaint.closed' }] }),
    'GET /api/v1/webhooks': () =>
      json(200, { items: [{ ...created, id: '00000000-0000-4000-8000-0000000000d2', enabled: false, disabled_reason: 'switched off after failing for a day without a success' }] }),
    'GET /api/v1/admin/organisations': () => json(200, { items: [org], next_cursor: null }),
    'POST /api/v1/webhooks': post,
  });
}

describe('WebhooksPage', () => {
  it('lists subscriptions with why one is off', async () => {
    routes(() => json(500, {}));
    renderWithProviders(<WebhooksPage />);
    const row = await screen.findByTestId('webhook-row');
    expect(row).toHaveTextContent('Выключена');
    expect(row).toHaveTextContent('выключена сервисом: сутки без успешной доставки');
    expect(row).toHaveTextContent('Жалоба подана, Закрыта');
  });

  it('shows a forbidden URL next to the field, then the secret once', async () => {
    let calls = 0;
    const { requests } = routes(() => {
      calls += 1;
      return calls === 1
        ? problem(422, 'validation_failed', { errors: { url: ['must point to a public address, not a private, loopback or link-local one'] } })
        : json(201, { ...created, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    });
    renderWithProviders(<WebhooksPage />);
    const user = userEvent.setup();
    await screen.findByRole('option', { name: org.name });
    await user.selectOptions(screen.getByLabelText('Организация'), org.id);
    await user.type(screen.getByLabelText('Адрес (URL)', { exact: false }), 'https://10.0.0.1/hooks');
    const types = screen.getByRole('group', { name: 'События' });
    await user.click(within(types).getByLabelText(/Жалоба подана/));
    await user.click(within(types).getByLabelText(/Закрыта/));
    await user.click(screen.getByRole('button', { name: 'Подписать' }));

    const url = screen.getByLabelText('Адрес (URL)', { exact: false });
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url.closest('.field')).toHaveTextContent('Адрес должен быть публичным');
    expect(screen.queryByTestId('webhook-secret')).toBeNull();

    await user.clear(url);
    await user.type(url, created.url);
    await user.click(screen.getByRole('button', { name: 'Подписать' }));
    expect(await screen.findByTestId('webhook-secret-value')).toHaveTextContent('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(screen.getByTestId('webhook-secret')).toHaveTextContent('больше он показан не будет');
    const posts = requests.filter((r) => r.method === 'POST');
    expect(await posts[1]!.json()).toEqual({ organisation_id: org.id, url: created.url, description: null, event_types: ['complaint.filed', 'complaint.closed'] });
  });
});
