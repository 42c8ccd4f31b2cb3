import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { PurgeTestDataResult } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { usePurgeTestData } from '../api/testData';

function Counts({ result }: { result: PurgeTestDataResult }) {
  const { t } = useI18n();
  return (
    <table className="table" data-testid="purge-counts">
      <caption>{result.dry_run ? t('testData.dryRunCaption') : t('testData.doneCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('testData.table')}</th>
          <th scope="col">{t('testData.rows')}</th>
        </tr>
      </thead>
      <tbody>
        {result.tables.map((row) => (
          <tr key={row.table}>
            <td>
              <code>{row.table}</code>
            </td>
            <td>{row.rows}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('testData.total')}</th>
          <td>{result.total}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Administrator: leaving test mode. A dry run counts the test rows per table; the purge takes the typed words. */
export function TestDataPage() {
  const { t } = useI18n();
  const dryRun = usePurgeTestData();
  const purge = usePurgeTestData();
  const [typed, setTyped] = useState('');
  // The latest answer, dry run or purge: a dry run after the purge shows its own counts.
  const [result, setResult] = useState<PurgeTestDataResult | null>(null);
  // The words the server takes as the confirmation, exactly: Russian in both languages.
  const words = t('testData.confirmWords');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    purge.mutate({ confirm: typed }, { onSuccess: setResult });
  };

  return (
    <div data-testid="test-data-page">
      <PageHeading title={t('testData.title')}>{t('testData.title')}</PageHeading>
      <p className="lead">{t('testData.lead')}</p>
      <p>
        <button type="button" className="button" onClick={() => dryRun.mutate({ dry_run: true }, { onSuccess: setResult })} disabled={dryRun.isPending}>
          {t('testData.dryRun')}
        </button>
      </p>
      <FormProblem error={dryRun.error} fields={[]} />
      {result ? (
        <>
          <p role="status" data-testid="purge-message">
            {result.message}
          </p>
          <Counts result={result} />
        </>
      ) : null}
      <form className="card" onSubmit={submit} noValidate>
        <h2>{t('testData.purgeTitle')}</h2>
        <Field
          label={t('testData.confirmLabel', { words })}
          hint={t('testData.confirmHint')}
          error={serverFieldError(purge.error, 'confirm')}
        >
          {(props) => <input {...props} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />}
        </Field>
        <FormProblem error={purge.error} fields={['confirm']} />
        <button type="submit" className="button button--danger" disabled={typed.trim() !== words || purge.isPending}>
          {t('testData.purge')}
        </button>
      </form>
    </div>
  );
}
