import { api, call } from '@/lib/api/client';

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** GET /api/v1/complaints/{id}/history/export: the signed history (JSON), saved by the browser. */
export async function downloadSignedHistory(id: string, number: string): Promise<void> {
  const blob = (await call(
    api.GET('/api/v1/complaints/{id}/history/export', { params: { path: { id } }, parseAs: 'blob' }),
  )) as unknown as Blob;
  save(blob, `history-${number}.json`);
}

/** GET /api/v1/complaints/{id}/history/export.pdf: the same signed history as a printable PDF, saved. */
export async function downloadHistoryPdf(id: string, number: string): Promise<void> {
  const blob = (await call(
    api.GET('/api/v1/complaints/{id}/history/export.pdf', { params: { path: { id } }, parseAs: 'blob' }),
  )) as unknown as Blob;
  save(blob, `history-${number}.pdf`);
}

/**
 * GET /api/v1/complaints/{id}/history/export.html: the printable page, in a window opened before
 * the request (a window opened after it would be blocked as a pop-up).
 */
export async function openPrintableHistory(id: string): Promise<void> {
  const target = window.open('', '_blank');
  try {
    const html = (await call(
      api.GET('/api/v1/complaints/{id}/history/export.html', { params: { path: { id } }, parseAs: 'text' }),
    )) as unknown as string;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    if (target) target.location.href = url;
    else save(new Blob([html], { type: 'text/html;charset=utf-8' }), `history-${id}.html`);
  } catch (error) {
    target?.close();
    throw error;
  }
}
