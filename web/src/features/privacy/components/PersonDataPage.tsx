import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { ErasureGround } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { downloadPersonData, useErasePersonData } from '../api/privacy';
import { Report, save } from './MyDataPage';

/** Clerk or administrator: the data of a person without an account, found by phone, always with a reason (audited). */
export function PersonDataPage() {
  const { t } = useI18n();
  const erase = useErasePersonData();
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [ground, setGround] = useState<ErasureGround>('erasure_request');
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const download = async (format: 'json' | 'html' | 'pdf') => {
    setDownloadError(null);
    try {
      save(await downloadPersonData({ phone, reason, format }), `person-data.${format}`);
    } catch (error) {
      setDownloadError(error);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    erase.mutate({ phone, reason, ground });
  };

  return (
    <div data-testid="person-data-page">
      <PageHeading title={t('personData.title')}>{t('personData.title')}</PageHeading>
      <p className="lead">{t('personData.lead')}</p>
      <form className="card" onSubmit={submit} noValidate>
        <Field label={t('personData.phone')} error={serverFieldError(erase.error ?? downloadError, 'phone')}>
          {(props) => <input {...props} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />}
        </Field>
        <Field
          label={t('personData.reason')}
          hint={t('personData.reasonHint')}
          error={serverFieldError(erase.error ?? downloadError, 'reason')}
        >
          {(props) => <input {...props} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <p>
          <button type="button" className="button" onClick={() => void download('json')}>
            {t('myData.downloadJson')}
          </button>{' '}
          <button type="button" className="button" onClick={() => void download('html')}>
            {t('myData.downloadHtml')}
          </button>{' '}
          <button type="button" className="button" onClick={() => void download('pdf')}>
            {t('myData.downloadPdf')}
          </button>
        </p>
        <FormProblem error={downloadError} fields={['phone', 'reason']} />
        <fieldset>
          <legend>{t('myData.ground')}</legend>
          <label>
            <input type="radio" name="ground" checked={ground === 'consent_withdrawn'} onChange={() => setGround('consent_withdrawn')} />{' '}
            {t('personData.ground.consent_withdrawn')}
          </label>
          <br />
          <label>
            <input type="radio" name="ground" checked={ground === 'erasure_request'} onChange={() => setGround('erasure_request')} />{' '}
            {t('personData.ground.erasure_request')}
          </label>
        </fieldset>
        <FormProblem error={erase.error} fields={['phone', 'reason']} />
        <button type="submit" className="button button--danger" disabled={erase.isPending}>
          {t('personData.erase')}
        </button>
      </form>
      {erase.data ? <Report report={erase.data} closed={false} /> : null}
    </div>
  );
}
