import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { ErasureGround, ErasureReport } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { downloadMyData, useEraseMyData } from '../api/privacy';

export function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

export function Report({ report, closed = true }: { report: ErasureReport; closed?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="card" role="status" data-testid="erasure-report">
      <p>{report.message}</p>
      {report.kept.length > 0 ? (
        <>
          <h3>{t('myData.keptTitle')}</h3>
          <ul>
            {report.kept.map((c) => (
              <li key={c.id}>
                <strong>{c.number}</strong>: {c.explanation}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {closed ? <p>{t('myData.closed')}</p> : null}
    </div>
  );
}

/** Resident: the "my data" screen — download everything held about them, withdraw consent or ask for erasure. */
export function MyDataPage() {
  const { t } = useI18n();
  const erase = useEraseMyData();
  const [typed, setTyped] = useState('');
  const [ground, setGround] = useState<ErasureGround>('erasure_request');
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const words = t('myData.confirmWords');

  const download = async (format: 'json' | 'html' | 'pdf') => {
    setDownloadError(null);
    try {
      save(await downloadMyData(format), `my-data.${format}`);
    } catch (error) {
      setDownloadError(error);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    erase.mutate({ ground, confirm: typed });
  };

  if (erase.data) return <Report report={erase.data} />;

  return (
    <div data-testid="my-data-page">
      <PageHeading title={t('myData.title')}>{t('myData.title')}</PageHeading>
      <p className="lead">{t('myData.lead')}</p>
      <section className="card">
        <h2>{t('myData.downloadTitle')}</h2>
        <p>
          <button type="button" className="button" onClick={() => void download('json')} data-testid="download-json">
            {t('myData.downloadJson')}
          </button>{' '}
          <button type="button" className="button" onClick={() => void download('html')} data-testid="download-html">
            {t('myData.downloadHtml')}
          </button>{' '}
          <button type="button" className="button" onClick={() => void download('pdf')} data-testid="download-pdf">
            {t('myData.downloadPdf')}
          </button>
        </p>
        <FormProblem error={downloadError} fields={[]} />
      </section>
      <form className="card" onSubmit={submit} noValidate>
        <h2>{t('myData.eraseTitle')}</h2>
        <p>{t('myData.eraseLead')}</p>
        <fieldset>
          <legend>{t('myData.ground')}</legend>
          <label>
            <input
              type="radio"
              name="ground"
              checked={ground === 'consent_withdrawn'}
              onChange={() => setGround('consent_withdrawn')}
            />{' '}
            {t('myData.ground.consent_withdrawn')}
          </label>
          <br />
          <label>
            <input
              type="radio"
              name="ground"
              checked={ground === 'erasure_request'}
              onChange={() => setGround('erasure_request')}
            />{' '}
            {t('myData.ground.erasure_request')}
          </label>
        </fieldset>
        <Field
          label={t('myData.confirmLabel', { words })}
          hint={t('myData.confirmHint')}
          error={serverFieldError(erase.error, 'confirm')}
        >
          {(props) => <input {...props} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />}
        </Field>
        <FormProblem error={erase.error} fields={['confirm']} />
        <button type="submit" className="button button--danger" disabled={typed.trim() !== words || erase.isPending}>
          {t('myData.erase')}
        </button>
      </form>
    </div>
  );
}
