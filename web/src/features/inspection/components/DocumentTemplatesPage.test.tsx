import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { DocumentTemplatesPage } from './DocumentTemplatesPage';

const placeholders = [{ name: 'organisation', description: 'the management company' }];
const templates = [
  { kind: 'order', body: 'ПРЕДПИСАНИЕ № {number}', updated_at: null, placeholders },
  { kind: 'act', body: 'АКТ ПРОВЕРКИ № {number}', updated_at: null, placeholders },
];

describe('DocumentTemplatesPage', () => {
  it('shows the placeholders and the field error of an unknown one', async () => {
    const bodies: unknown[] = [];
    stubFetch({
      'GET /api/v1/admin/document-templates': () => json(200, templates),
      'PUT /api/v1/admin/document-templates/order': async (request: Request) => {
        bodies.push(await request.json());
        return json(422, {
          type: 'urn:dispatch:problem:validation_failed',
          title: 'Validation failed',
          status: 422,
          code: 'validation_failed',
          errors: { body: ['unknown placeholder {organisaton}'] },
        });
      },
    });
    renderWithProviders(<DocumentTemplatesPage />);
    expect(await screen.findByText('{organisation}')).toBeInTheDocument();
    const form = await screen.findByTestId('template-order');
    const text = within(form).getByLabelText('Текст шаблона');
    const user = userEvent.setup();
    await user.clear(text);
    await user.type(text, 'Кому: {{organisaton}');
    await user.click(within(form).getByRole('button', { name: 'Сохранить шаблон' }));
    expect(await within(form).findByText(/unknown placeholder/)).toHaveTextContent('{organisaton}');
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([{ body: 'Кому: {organisaton}' }]);
  });
});
