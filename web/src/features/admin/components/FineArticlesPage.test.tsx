import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { FineArticlesPage } from './FineArticlesPage';

const ARTICLE = {
  code: '7.23',
  title_ru: 'Нарушение нормативов обеспечения населения коммунальными услугами',
  legal_entity: { min: 5000, max: 10000 },
  official: { min: 500, max: 1000 },
  is_active: true,
};

describe('FineArticlesPage', () => {
  it('lists the articles with their ranges, edits one and shows the field the server refuses', async () => {
    const sent: { url: string; body: unknown }[] = [];
    stubFetch({
      'GET /api/v1/admin/fine-articles': () => json(200, [ARTICLE]),
      'PUT /api/v1/admin/fine-articles/7.23': async (request: Request) => {
        const body = (await request.json()) as { legal_entity: { min: number; max: number } };
        sent.push({ url: request.url, body });
        return body.legal_entity.min > body.legal_entity.max
          ? json(422, {
              type: 'urn:dispatch:problem:validation_failed',
              title: 'Проверьте введённые данные',
              status: 422,
              code: 'validation_failed',
              errors: { legal_entity: ['min and max must satisfy 1 ≤ min ≤ max ≤ 10000000'] },
            })
          : json(200, { ...ARTICLE, ...body });
      },
    });
    renderWithProviders(<FineArticlesPage />);
    const row = await screen.findByTestId('fine-article-row');
    expect(row).toHaveTextContent('7.23');
    expect(row).toHaveTextContent(/5\s000\s₽ – 10\s000\s₽/);

    const user = userEvent.setup();
    await user.click(within(row).getByRole('button'));
    const form = screen.getByTestId('fine-article-form');
    const min = within(form).getByLabelText('Юрлицу: от, ₽');
    await user.clear(min);
    await user.type(min, '20000');
    await user.click(within(form).getByRole('button', { name: /Сохранить/ }));
    expect((await within(form).findAllByText(/min and max must satisfy/)).length).toBeGreaterThan(0);

    await user.clear(min);
    await user.type(min, '6000');
    await user.click(within(form).getByRole('button', { name: /Сохранить/ }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]!.body).toEqual({
      title_ru: ARTICLE.title_ru,
      legal_entity: { min: 6000, max: 10000 },
      official: { min: 500, max: 1000 },
      is_active: true,
    });
  });
});
