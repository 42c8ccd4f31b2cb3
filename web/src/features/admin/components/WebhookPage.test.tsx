import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { WebhookPage } from './WebhookPage';

const id = '00000000-0000-4000-8000-0000000000d1';
const details = {
  id,
  organisation: { id: '00000000-0000-4000-8000-0000000000e1', name: 'ООО «УК Северный город»' },
  url: 'https://crm.uk-sever.ru/hooks',
  description: 'CRM',
  event_types: ['complaint.filed', 'complaint.closed'],
  enabled: true,
  disabled_reason: null,
  failing_since: '2026-12-01T09:00:00Z',
  previous_secret_valid_until: null,
  created_at: '2026-12-01T08:00:00Z',
  updated_at: '2026-12-01T08:00:00Z',
  pending: 3,
  delivered: 7,
  failed: 1,
};
const attempt = (n: number, status: number | null) => ({
  id: `00000000-0000-4000-8000-00000000${String(n).padStart(4, '0')}`,
  webhook_id: `msg_${n}_filed`,
  event_type: 'complaint.filed',
  attempted_at: '2026-12-01T10:00:00Z',
  status,
  latency_ms: 42,
  error: status === null ? 'connection refused' : null,
});

function render() {
  return renderWithProviders(
    <Routes>
      <Route path="/admin/webhooks/:id" element={<WebhookPage />} />
      <Route path="/admin/webhooks" element={<p>the list</p>} />
    </Routes>,
    { path: `/admin/webhooks/${id}` },
  );
}

describe('WebhookPage', () => {
  it('shows counts and attempts, loads older ones by cursor, and replays one event', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/webhooks/${id}`]: () => json(200, details),
      [`GET /api/v1/webhooks/${id}/attempts`]: (request) =>
        new URL(request.url).searchParams.get('cursor')
          ? json(200, { items: [attempt(2, null)], next_cursor: null })
          : json(200, { items: [attempt(1, 200)], next_cursor: attempt(1, 200).id }),
      [`POST /api/v1/webhooks/${id}/replay`]: () => json(202, { queued: 1 }),
    });
    render();
    const user = userEvent.setup();
    expect(await screen.findByTestId('webhook-count-pending')).toHaveTextContent('3');
    expect(screen.getByTestId('webhook-count-delivered')).toHaveTextContent('7');
    expect(screen.getByTestId('webhook-count-failed')).toHaveTextContent('1');
    expect(await screen.findByText('msg_1_filed', { selector: 'code' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Показать ещё' }));
    expect(await screen.findByText('connection refused')).toBeInTheDocument();
    expect(screen.getByText('нет ответа')).toBeInTheDocument();
    expect(requests.some((r) => new URL(r.url).searchParams.get('cursor') === attempt(1, 200).id)).toBe(true);

    await user.click(screen.getAllByRole('button', { name: /^Отправить снова/ })[0]!);
    expect(await screen.findByText('Событие msg_1_filed поставлено в очередь.')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({ webhook_id: 'msg_1_filed' });
  });

  it('checks a replay range before sending, and deletes only after confirmation', async () => {
    const { requests } = stubFetch({
      [`GET /api/v1/webhooks/${id}`]: () => json(200, details),
      [`GET /api/v1/webhooks/${id}/attempts`]: () => json(200, { items: [], next_cursor: null }),
      [`DELETE /api/v1/webhooks/${id}`]: () => new Response(null, { status: 204 }),
    });
    render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Отправить за период' }));
    expect(await screen.findAllByText('Укажите начало и конец периода.')).toHaveLength(2);
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await user.click(screen.getByRole('button', { name: 'Удалить подписку' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Удалить подписку' }));
    expect(await screen.findByText('the list')).toBeInTheDocument();
    expect(confirm).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(1));
  });
});
