import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { PolicyPage } from './PolicyPage';

const POLICY = {
  max_unanswered_calls: 3,
  repeat_round_fraction: 0.5,
  verification: { unit: 'working_days', value: 2 },
  routing: { unit: 'working_days', value: 1 },
  inspection: { unit: 'working_days', value: 10 },
  answer_deadline: { unit: 'calendar_days', value: 30 },
  escalate_at_round: 3,
  scorecard_min_volume: 10,
  reply_wait: { unit: 'hours', value: 24 },
};
const RULE = {
  code: 'execution_overdue',
  statuses: ['registered', 'in_progress'],
  overdue_for_hours: 0,
  effect: { type: 'notify', role: 'dispatcher' },
};
const V1 = {
  version: 1,
  effective_from: '2000-01-01T00:00:00Z',
  editor_id: null,
  editor_login: null,
  created_at: '2026-12-01T00:00:00Z',
  in_force: true,
  policy: POLICY,
  rules: [RULE],
};

describe('PolicyPage', () => {
  it('shows the version in force and its history, and the field the server refuses inline', async () => {
    const sent: unknown[] = [];
    stubFetch({
      'GET /api/v1/admin/policy': () => json(200, { current: V1, versions: [V1] }),
      'POST /api/v1/admin/policy/versions': async (request: Request) => {
        sent.push(await request.json());
        return json(422, {
          type: 'urn:dispatch:problem:validation_failed',
          title: 'Проверьте введённые данные',
          status: 422,
          code: 'validation_failed',
          errors: {
            max_unanswered_calls: ['must be 1 to 10'],
            'rules[0].statuses': ['the effect leads to under_inspection, which the rule watches: it would loop'],
          },
        });
      },
    });
    renderWithProviders(<PolicyPage />);
    const row = await screen.findByTestId('policy-version-row');
    expect(row).toHaveTextContent('Исходные значения');
    expect(row).toHaveTextContent('Действует');

    const user = userEvent.setup();
    const form = screen.getByTestId('policy-form');
    const calls = within(form).getByLabelText('Звонков без ответа до закрытия');
    await user.clear(calls);
    await user.type(calls, '11');
    await user.click(within(form).getByRole('button', { name: 'Сохранить новую версию' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { policy: { max_unanswered_calls: number } }).policy.max_unanswered_calls).toBe(11);
    const callsField = calls.closest('.field');
    expect(callsField).toHaveClass('field--invalid');
    const rule = screen.getByTestId('policy-rule');
    expect(await within(rule).findByText(/it would loop/)).toBeInTheDocument();
  });

  it('says which version was saved once the new version replaces the form', async () => {
    const V2 = { ...V1, version: 2, editor_login: 'admin@demo.test', policy: { ...POLICY, max_unanswered_calls: 4 } };
    const superseded = { ...V1, in_force: false };
    stubFetch({
      'GET /api/v1/admin/policy': () => json(200, { current: V1, versions: [V1] }),
      'POST /api/v1/admin/policy/versions': () => json(201, { current: V2, versions: [V2, superseded] }),
    });
    renderWithProviders(<PolicyPage />);
    await screen.findByTestId('policy-version-row');
    expect(screen.queryByTestId('policy-saved')).not.toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(within(screen.getByTestId('policy-form')).getByRole('button', { name: 'Сохранить новую версию' }));
    expect(await screen.findByTestId('policy-saved')).toHaveTextContent('2');
    expect(screen.getAllByTestId('policy-version-row')).toHaveLength(2);
  });
});
