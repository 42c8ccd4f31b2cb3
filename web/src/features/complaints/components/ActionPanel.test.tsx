import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Complaint } from '@/lib/api/types';
import { demoComplaint, json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { ActionPanel } from './ActionPanel';

const id = demoComplaint().id;
const path = `/api/v1/complaints/${id}`;

describe('ActionPanel', () => {
  it('sends the transition with If-Match of the version shown', async () => {
    // The clock is running: the server offers pause, not resume.
    const complaint = demoComplaint({ allowed_actions: ['accept', 'assign_executor', 'not_our_building', 'pause_clock'] });
    const { requests } = stubFetch({
      [`POST ${path}/transitions`]: () => json(200, { ...complaint, status: 'in_progress', version: 4 }),
    });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    expect(screen.getByRole('heading', { name: 'Приостановить срок' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Возобновить срок' })).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Принять в работу' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.headers.get('If-Match')).toBe('"3"');
    expect(await requests[0]!.json()).toEqual({ type: 'accept' });
  });

  it('shows exactly the actions the server lists, in a fixed order', () => {
    const complaint = demoComplaint({ paused: true, allowed_actions: ['withdraw', 'resume_clock', 'report_done'], status: 'in_progress' });
    stubFetch({});
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const shown = screen.getAllByTestId(/^action-(?!panel)/).map((el) => el.dataset.testid);
    expect(shown).toEqual(['action-report_done', 'action-resume_clock', 'action-withdraw']);
  });

  it('shows nothing when the server lists no action', () => {
    stubFetch({});
    renderWithProviders(<ActionPanel complaint={demoComplaint({ allowed_actions: [] }) as Complaint} />);
    expect(screen.queryByTestId('action-panel')).not.toBeInTheDocument();
  });

  it('says so when someone else changed the complaint (412) and reloads it', async () => {
    const complaint = demoComplaint({ allowed_actions: ['report_done'], status: 'in_progress' });
    const { requests } = stubFetch({
      [`POST ${path}/transitions`]: () => problem(412, 'version_mismatch'),
      [`GET ${path}`]: () => json(200, { ...complaint, version: 5 }),
      [`GET ${path}/events`]: () => json(200, []),
    });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Сообщить о выполнении' }));
    expect(await screen.findByText('Заполните это поле.')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    await user.type(screen.getByLabelText('Что сделано'), 'Заменили кровлю.');
    await user.click(screen.getByRole('button', { name: 'Сообщить о выполнении' }));
    const alert = await screen.findByTestId('stale-version');
    expect(alert).toHaveTextContent('Жалобу уже изменил кто-то другой — обновите страницу.');
    expect(alert).toHaveAttribute('role', 'alert');
    await user.click(screen.getByRole('button', { name: 'Обновить' }));
    await waitFor(() => expect(screen.queryByTestId('stale-version')).not.toBeInTheDocument());
  });

  it('asks the resident to confirm a withdrawal and answers the verification', async () => {
    const complaint = demoComplaint({ allowed_actions: ['resident_answer', 'withdraw'], status: 'awaiting_verification' });
    const { requests } = stubFetch({
      [`POST ${path}/transitions`]: () => json(200, { ...complaint, status: 'closed', version: 4, allowed_actions: [] }),
    });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Отозвать…' }));
    const dialog = screen.getByRole('alertdialog');
    await waitFor(() => expect(dialog).toHaveFocus());
    expect(dialog).toHaveTextContent('Отозвать жалобу? Это нельзя отменить.');
    await user.click(screen.getByRole('button', { name: 'Нет, оставить' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(requests).toHaveLength(0);

    await user.type(screen.getByLabelText('Комментарий (необязательно)'), 'Всё хорошо');
    await user.click(screen.getByRole('button', { name: 'Нет, не устраивает' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]!.json()).toEqual({ type: 'resident_answer', satisfied: false, comment: 'Всё хорошо' });
  });

  it('records a fine under an article of the register, its range checked before sending', async () => {
    const complaint = demoComplaint({
      status: 'under_inspection',
      allowed_actions: ['record_findings', 'issue_order', 'check_compliance', 'record_fine'],
      order: { id: '00000000-0000-4000-8000-0000000000d1', text: 'Закрепить', due_at: '2026-11-28T07:00:00Z', complied: false },
    });
    const articles = [
      { code: '19.5 ч.1', title_ru: 'Невыполнение в срок законного предписания', legal_entity: { min: 10000, max: 20000 }, official: { min: 1000, max: 2000 }, is_active: true },
      { code: '7.22', title_ru: 'Нарушение правил содержания жилых домов', legal_entity: { min: 40000, max: 50000 }, official: { min: 4000, max: 5000 }, is_active: true },
    ];
    const { requests } = stubFetch({
      'GET /api/v1/fine-articles': () => json(200, articles),
      [`POST ${path}/transitions`]: () => json(200, { ...complaint, version: 4 }),
    });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const user = userEvent.setup();
    const submit = () => user.click(screen.getByRole('button', { name: 'Записать штраф' }));
    await submit();
    expect(screen.getByText('Выберите статью.')).toBeInTheDocument();

    const article = screen.getByLabelText('Статья КоАП РФ');
    await waitFor(() => expect(article).toHaveTextContent('ст. 19.5 ч.1 — Невыполнение в срок законного предписания'));
    await user.selectOptions(article, '19.5 ч.1');
    await user.selectOptions(screen.getByLabelText('Кому'), 'official');
    const amount = screen.getByLabelText('Сумма, ₽', { exact: false });
    await user.type(amount, '15000');
    await submit();
    expect(screen.getByText(/Сумма должна быть от 1\s000\s₽ до 2\s000\s₽/)).toBeInTheDocument();
    const posts = () => requests.filter((r) => r.method === 'POST');
    expect(posts()).toHaveLength(0);

    await user.selectOptions(screen.getByLabelText('Кому'), 'legal_entity');
    await submit();
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(await posts()[0]!.json()).toEqual({ type: 'record_fine', article: '19.5 ч.1', offender: 'legal_entity', amount_rub: 15000 });
  });

  it('extends the answer deadline once by at most 30 days, with a reason', async () => {
    const complaint = demoComplaint({ status: 'in_progress', allowed_actions: ['extend_answer'] });
    const { requests } = stubFetch({ [`POST ${path}/transitions`]: () => json(200, { ...complaint, version: 4 }) });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const user = userEvent.setup();
    const days = screen.getByLabelText('На сколько дней');
    await user.clear(days);
    await user.type(days, '31');
    await user.click(screen.getByRole('button', { name: 'Продлить срок' }));
    expect(screen.getByText('Укажите целое число дней от 1 до 30.')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    await user.clear(days);
    await user.type(days, '30');
    await user.type(screen.getByLabelText('Причина продления'), 'Запрос в водоканал');
    await user.click(screen.getByRole('button', { name: 'Продлить срок' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]!.json()).toEqual({ type: 'extend_answer', days: 30, reason: 'Запрос в водоканал' });
  });

  it('issues an order due at a Surgut time given in the form', async () => {
    const complaint = demoComplaint({ status: 'under_inspection', allowed_actions: ['issue_order'] });
    const { requests } = stubFetch({ [`POST ${path}/transitions`]: () => json(200, { ...complaint, version: 4 }) });
    renderWithProviders(<ActionPanel complaint={complaint as Complaint} />);
    const user = userEvent.setup();
    const due = screen.getByLabelText('Срок исполнения', { exact: false });
    await user.clear(due);
    await user.type(due, '2099-12-01T18:00');
    await user.type(screen.getByLabelText('Текст предписания'), 'Закрепить водосток.');
    await user.click(screen.getByRole('button', { name: 'Выдать предписание' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(await requests[0]!.json()).toEqual({ type: 'issue_order', due_at: '2099-12-01T13:00:00.000Z', text: 'Закрепить водосток.' });
  });
});
