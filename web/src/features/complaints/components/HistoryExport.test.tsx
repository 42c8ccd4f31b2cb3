import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { HistoryExport } from './HistoryExport';

const id = '0193a5b0-0000-7000-8000-0000000000c1';

describe('HistoryExport', () => {
  afterEach(() => vi.restoreAllMocks());

  it('saves the signed history as a JSON file', async () => {
    const saved: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:history';
    });
    URL.revokeObjectURL = vi.fn();
    stubFetch({
      [`GET /api/v1/complaints/${id}/history/export`]: () => json(200, { document: { head: 'ab' }, signature: { value: 'cd' } }),
    });
    renderWithProviders(<HistoryExport id={id} number="СУР-2026-000042" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Скачать подписанную историю (JSON)' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(JSON.parse(await saved[0]!.text())).toMatchObject({ signature: { value: 'cd' } });
  });

  it('saves the printable PDF of the signed history', async () => {
    const saved: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:history-pdf';
    });
    URL.revokeObjectURL = vi.fn();
    stubFetch({
      [`GET /api/v1/complaints/${id}/history/export.pdf`]: () =>
        new Response('%PDF-1.5 history', { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
    });
    renderWithProviders(<HistoryExport id={id} number="СУР-2026-000042" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'PDF для печати' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(await saved[0]!.text()).toBe('%PDF-1.5 history');
  });

  it('says why when the history cannot be signed', async () => {
    stubFetch({
      [`GET /api/v1/complaints/${id}/history/export`]: () => problem(409, 'action_not_possible', { detail: 'The history does not verify' }),
    });
    renderWithProviders(<HistoryExport id={id} number="СУР-2026-000042" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Скачать подписанную историю (JSON)' }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });
});
