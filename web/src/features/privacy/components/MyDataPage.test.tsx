import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { MyDataPage } from './MyDataPage';

describe('MyDataPage', () => {
  it('erases only after the typed words and says what was kept and why', async () => {
    const bodies: unknown[] = [];
    stubFetch({
      'POST /api/v1/me/erasure': async (request: Request) => {
        bodies.push(await request.json());
        return json(200, {
          erased: [{ id: 'a', number: 'СУР-2026-000001' }],
          kept: [
            {
              id: 'b',
              number: 'СУР-2026-000002',
              because: 'under_inspection',
              explanation: 'Жалобой занимается жилищный контроль (КоАП РФ, ст. 28.2).',
            },
          ],
          attachments_deleted: 0,
          account_anonymised: true,
          message: 'Персональные данные удалены из жалоб: 1; сохранены до закрытия: 1.',
        });
      },
    });
    renderWithProviders(<MyDataPage />);
    const user = userEvent.setup();
    const erase = screen.getByRole('button', { name: 'Удалить мои данные' });
    const field = screen.getByLabelText('Для подтверждения введите «УДАЛИТЬ МОИ ДАННЫЕ»');
    await user.type(field, 'удалить');
    expect(erase).toBeDisabled();
    await user.clear(field);
    await user.type(field, 'УДАЛИТЬ МОИ ДАННЫЕ');
    await user.click(screen.getByLabelText('Отзываю согласие на обработку персональных данных'));
    await user.click(erase);
    expect(await screen.findByTestId('erasure-report')).toHaveTextContent('СУР-2026-000002');
    expect(screen.getByTestId('erasure-report')).toHaveTextContent('КоАП');
    expect(bodies).toEqual([{ ground: 'consent_withdrawn', confirm: 'УДАЛИТЬ МОИ ДАННЫЕ' }]);
  });

  it('downloads the PDF from /me/export.pdf', async () => {
    const saved: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:my-data';
    });
    URL.revokeObjectURL = vi.fn();
    stubFetch({
      'GET /api/v1/me/export.pdf': () =>
        new Response('%PDF-1.5 mine', { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
    });
    renderWithProviders(<MyDataPage />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Скачать PDF' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(await saved[0]!.text()).toBe('%PDF-1.5 mine');
  });
});
