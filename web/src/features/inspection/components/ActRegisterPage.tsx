import { useState, type FormEvent } from 'react';
import type { Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { CompanyPicker, type PickedCompany } from '@/components/CompanyPicker';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import type { ActRegisterRow } from '@/lib/api/types';
import { NO_ITEMS } from '@/lib/api/keyset';
import { useMe } from '@/lib/api/me';
import { useI18n } from '@/lib/i18n';
import { formatDate } from '@/lib/time';
import { downloadRegisterCsv, openActPdf, useActRegister, type ActFilter } from '../api/registers';
import { dayStart, RegisterList } from './RegisterList';

interface Draft {
  violation: '' | 'true' | 'false';
  from: string;
  to: string;
}

const EMPTY: Draft = { violation: '', from: '', to: '' };

function toFilter(d: Draft, company: PickedCompany | null): ActFilter {
  return {
    violation: d.violation === '' ? undefined : d.violation === 'true',
    company_id: company?.id,
    from: dayStart(d.from, false),
    to: dayStart(d.to, true),
  };
}

/** The register of inspection acts: filters, totals, CSV, and each act's printed document (PDF). */
export function ActRegisterPage() {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [company, setCompany] = useState<PickedCompany | null>(null);
  // A management company sees only its own rows: no company to choose (cosmetic; the server decides).
  const choosesCompany = useMe().data?.role !== 'company';
  const [filter, setFilter] = useState<ActFilter>({});
  const [failure, setFailure] = useState<unknown>(null);
  const register = useActRegister(filter);
  const totals = register.data?.pages[0]?.totals;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter(toFilter(draft, company));
  };
  const attempt = async (work: () => Promise<void>) => {
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(error);
    }
  };

  const columns: Column<ActRegisterRow>[] = [
    { key: 'number', header: t('registers.number'), cell: (r) => r.number, rowHeader: true },
    { key: 'date', header: t('registers.date'), cell: (r) => formatDate(r.recorded_at, language) },
    { key: 'complaint', header: t('registers.complaint'), cell: (r) => r.complaint_number },
    { key: 'address', header: t('registers.address'), cell: (r) => r.address },
    { key: 'company', header: t('registers.companyName'), cell: (r) => r.company_name ?? t('registers.acts.noCompany') },
    {
      key: 'violation',
      header: t('registers.acts.violation'),
      cell: (r) => <span data-violation={String(r.violation)}>{t(r.violation ? 'registers.acts.violation.true' : 'registers.acts.violation.false')}</span>,
    },
    { key: 'findings', header: t('registers.acts.findings'), cell: (r) => r.findings },
    { key: 'inspector', header: t('registers.acts.inspector'), cell: (r) => r.inspector_name || '—' },
    {
      key: 'document',
      header: t('registers.document'),
      cell: (r) => (
        <button type="button" className="button button--small" onClick={() => void attempt(() => openActPdf(r.id))} data-testid="act-pdf">
          {t('registers.pdf')}
          <span className="visually-hidden"> {t('registers.acts.pdfOf', { number: r.number })}</span>
        </button>
      ),
    },
  ];

  return (
    <div data-testid="act-register-page">
      <PageHeading title={t('registers.acts.title')}>{t('registers.acts.title')}</PageHeading>
      <p className="lead">{t('registers.acts.lead')}</p>
      <form className="card" onSubmit={submit} aria-label={t('registers.filters')} data-testid="act-filters">
        <div className="toolbar register-filters">
          <Field label={t('registers.acts.violation')}>
            {(props) => (
              <select
                {...props}
                className="field__input"
                name="violation"
                value={draft.violation}
                onChange={(e) => setDraft((d) => ({ ...d, violation: e.target.value as Draft['violation'] }))}
              >
                <option value="">{t('registers.acts.anyViolation')}</option>
                <option value="true">{t('registers.acts.violation.true')}</option>
                <option value="false">{t('registers.acts.violation.false')}</option>
              </select>
            )}
          </Field>
          {choosesCompany ? <CompanyPicker label={t('registers.company')} value={company} onChange={setCompany} testId="register-company" /> : null}
          <Field label={t('registers.from')}>
            {(props) => <input {...props} className="field__input" type="date" name="from" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />}
          </Field>
          <Field label={t('registers.to')}>
            {(props) => <input {...props} className="field__input" type="date" name="to" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />}
          </Field>
        </div>
        <div className="button-row">
          <button type="submit" className="button">
            {t('registers.apply')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setDraft(EMPTY);
              setCompany(null);
              setFilter({});
            }}
          >
            {t('registers.reset')}
          </button>
          <button type="button" className="button button--secondary" data-testid="acts-csv" onClick={() => void attempt(() => downloadRegisterCsv('acts', filter))}>
            {t('registers.csv')}
          </button>
        </div>
        {failure ? <ErrorNotice error={failure} /> : null}
      </form>
      <RegisterList
        id="act-register-heading"
        list={register}
        items={register.data?.items ?? NO_ITEMS}
        totals={undefined}
        summary={totals ? t('registers.acts.totals', { count: String(totals.count), violations: String(totals.violations) }) : undefined}
        columns={columns}
        rowKey={(r) => r.id}
        testId="act-register"
      />
    </div>
  );
}
