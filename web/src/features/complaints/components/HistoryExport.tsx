import { useState } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { useI18n } from '@/lib/i18n';
import { downloadHistoryPdf, downloadSignedHistory, openPrintableHistory } from '../api/historyExport';

/** The signed history for a case file: the JSON (verifiable with `dispatch verify-export`) and a printable page. */
export function HistoryExport({ id, number }: { id: string; number: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="history-export">
      <p className="field__hint">{t('history.exportHint')}</p>
      <div className="button-row">
        <button type="button" className="button button--small button--secondary" disabled={busy} onClick={() => void run(() => downloadSignedHistory(id, number))} data-testid="history-export-json">
          {t('history.exportJson')}
        </button>
        <button type="button" className="button button--small button--secondary" disabled={busy} onClick={() => void run(() => openPrintableHistory(id))} data-testid="history-export-print">
          {t('history.exportPrint')}
        </button>
        <button type="button" className="button button--small button--secondary" disabled={busy} onClick={() => void run(() => downloadHistoryPdf(id, number))} data-testid="history-export-pdf">
          {t('history.exportPdf')}
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
