import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { demoBuildings, demoCategories, demoComplaint, demoMeta, json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { ComplaintForm } from './ComplaintForm';

function routes(post: (request: Request) => Response | Promise<Response>) {
  return stubFetch({
    'GET /api/v1/meta': () => json(200, demoMeta),
    'GET /api/v1/categories': () => json(200, demoCategories),
    'GET /api/v1/buildings': (request) => {
      const q = new URL(request.url).searchParams.get('q') ?? '';
      return json(200, q.length >= 2 ? demoBuildings : []);
    },
    'POST /api/v1/complaints': post,
  });
}

async function pickAddress(user: ReturnType<typeof userEvent.setup>) {
  const box = screen.getByRole('combobox', { name: 'Адрес дома' });
  await user.type(box, 'Ленина');
  await screen.findByRole('option', { name: /проспект Ленина, д\. 11/ }, { timeout: 5000 });
  expect(box).toHaveAttribute('aria-expanded', 'true');
  await user.keyboard('{ArrowDown}');
  expect(box.getAttribute('aria-activedescendant')).toMatch(/opt-0$/);
  await user.keyboard('{Enter}');
  expect(screen.getByTestId('address-chosen')).toHaveTextContent('проспект Ленина, д. 1 (Центральный район)');
}

describe('ComplaintForm (resident)', () => {
  it('checks the fields before sending, then files with an Idempotency-Key', async () => {
    const created = { complaint: demoComplaint(), pin: null, possible_duplicates: [] };
    const { requests } = routes(() => json(201, created));
    const onCreated = vi.fn();
    renderWithProviders(<ComplaintForm mode="resident" onCreated={onCreated} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Подать жалобу' }));
    expect(await screen.findByText('Выберите адрес из списка.')).toBeInTheDocument();
    expect(screen.getByText('Выберите, что случилось.')).toBeInTheDocument();
    expect(screen.getByText('Опишите проблему (не меньше 5 знаков).')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Адрес дома' })).toHaveFocus());
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await pickAddress(user);
    await screen.findByRole('option', { name: 'Протечка кровли — срок 1 календарный день' });
    expect(screen.getByRole('option', { name: '⚠ Авария: Нет отопления — срок 24 часа' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Что случилось', { exact: false }), demoCategories[0]!.id);
    expect(screen.getByText('Срок устранения: 1 календарный день.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Квартира', { exact: false }), '12');
    await user.type(screen.getByLabelText('Описание проблемы', { exact: false }), 'Протекает кровля над квартирой.');
    await user.click(screen.getByRole('button', { name: 'Подать жалобу' }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await post?.json()).toEqual({
      building_id: demoBuildings[0]!.id,
      category_id: demoCategories[0]!.id,
      description: 'Протекает кровля над квартирой.',
      flat: '12',
    });
  });

  it('retries with the same Idempotency-Key and shows field errors from a 422', async () => {
    let calls = 0;
    const { requests } = routes(() => {
      calls += 1;
      return calls === 1
        ? problem(503, 'service_unavailable')
        : problem(422, 'validation_failed', { errors: { description: ['must be 5 to 4000 characters'] } });
    });
    renderWithProviders(<ComplaintForm mode="resident" onCreated={vi.fn()} />);
    const user = userEvent.setup();
    await pickAddress(user);
    await screen.findByRole('option', { name: 'Протечка кровли — срок 1 календарный день' });
    await user.selectOptions(screen.getByLabelText('Что случилось', { exact: false }), demoCategories[0]!.id);
    await user.type(screen.getByLabelText('Описание проблемы', { exact: false }), 'Течёт крыша');
    await user.click(screen.getByRole('button', { name: 'Подать жалобу' }));
    expect(await screen.findByText('Сервис временно недоступен. Попробуйте позже.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Подать жалобу' }));
    expect(await screen.findByText('Должно быть от 5 до 4000 символов')).toBeInTheDocument();
    expect(screen.getByLabelText('Описание проблемы', { exact: false })).toHaveAttribute('aria-invalid', 'true');
    const keys = requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('ComplaintForm (clerk)', () => {
  it('starts in the name field, moves on with Enter and needs consent', async () => {
    const created = { complaint: demoComplaint(), pin: '402913', possible_duplicates: [] };
    const { requests } = routes(() => json(201, created));
    const onCreated = vi.fn();
    renderWithProviders(<ComplaintForm mode="clerk" onCreated={onCreated} />);
    const user = userEvent.setup();

    const name = screen.getByLabelText('ФИО заявителя', { exact: false });
    expect(name).toHaveFocus();
    await user.keyboard('Петров Иван Сергеевич{Enter}');
    expect(screen.getByLabelText('Телефон', { exact: false })).toHaveFocus();
    await user.keyboard('+7 922 123-45-67{Enter}');
    expect(screen.getByRole('combobox', { name: 'Адрес дома' })).toHaveFocus();
    await pickAddress(user);
    await screen.findByRole('option', { name: 'Протечка кровли — срок 1 календарный день' });
    await user.selectOptions(screen.getByLabelText('Что случилось', { exact: false }), demoCategories[0]!.id);
    await user.type(screen.getByLabelText('Описание проблемы', { exact: false }), 'Протекает кровля.');
    expect(screen.getByText(/Согласие на обработку персональных данных \(152-ФЗ\)/)).toHaveTextContent('(версия текста 2026-01)');

    await user.click(screen.getByRole('button', { name: 'Принять жалобу' }));
    expect(await screen.findByText('Без согласия на обработку персональных данных жалобу принять нельзя.')).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Заявитель согласен на обработку персональных данных' }));
    await user.keyboard('{Control>}{Enter}{/Control}');

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    const body = await requests.find((r) => r.method === 'POST')?.json();
    expect(body.applicant).toEqual({
      name: 'Петров Иван Сергеевич',
      phone: '+7 922 123-45-67',
      consent: { accepted: true, version: '2026-01' },
    });
  });
});
