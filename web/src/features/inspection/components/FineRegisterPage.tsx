import { useState, type FormEvent } from 'react';
import type { Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { CompanyPicker, type PickedCompany } from '@/components/CompanyPicker';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import type { FineRegisterRow, Offender } from '@/lib/api/types';
import { NO_ITEMS } from '@/lib/api/keyset';
import { useMe } from '@/lib/api/me';
import { useI18n } from '@/lib/i18n';
import { formatDate, formatMoney } from '@/lib/time';
import { downloadRegisterCsv, useFineRegister, type FineFilter } from '../api/registers';
import { dayStart, RegisterList } from './RegisterList';

const OFFENDERS: readonly Offender[] = ['legal_entity', 'official'];

interface Draft {
  article: string;
  offender: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { article: '', offender: '', from: '', to: '' };

function toFilter(d: Draft, company: PickedCompany | null): FineFilter {
  return {
    article: d.article.trim() || undefined,
    offender: (d.offender || undefined) as Offender | undefined,
    company_id: company?.id,
    from: dayStart(d.from, false),
    to: dayStart(d.to, true),
  };
}

function isOffender(value: string | null | undefined): value is Offender {
  return value === 'legal_entity' || value === 'official';
}

/** The register of fines: article, offender, amount, company and date; filters, totals and CSV. */
export function FineRegisterPage() {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [company, setCompany] = useState<PickedCompany | null>(null);
  // A management company sees only its own rows: no company to choose (cosmetic; the server decides).
  const choosesCompany = useMe().data?.role !== 'company';
  const [filter, setFilter] = useState<FineFilter>({});
  const [failure, setFailure] = useState<unknown>(null);
  const register = useFineRegister(filter);
  const set = (field: keyof Draft, value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter(toFilter(draft, company));
  };
  const download = async () => {
    setFailure(null);
    try {
      await downloadRegisterCsv('fines', filter);
    } catch (error) {
      setFailure(error);
    }
  };

  const columns: Column<FineRegisterRow>[] = [
    { key: 'date', header: t('registers.date'), cell: (r) => formatDate(r.recorded_at, language), rowHeader: true },
    { key: 'article', header: t('registers.article'), cell: (r) => r.article ?? r.legal_basis },
    { key: 'offender', header: t('registers.offender'), cell: (r) => (isOffender(r.offender) ? t(`registers.offender.${r.offender}`) : '—') },
    { key: 'amount', header: t('registers.amount'), cell: (r) => formatMoney(r.amount_rub, language) },
    { key: 'company', header: t('registers.companyName'), cell: (r) => r.company_name },
    { key: 'complaint', header: t('registers.complaint'), cell: (r) => r.complaint_number },
    { key: 'order', header: t('registers.order'), cell: (r) => r.order_number ?? '—' },
  ];

  return (
    <div data-testid="fine-register-page">
      <PageHeading title={t('registers.fines.title')}>{t('registers.fines.title')}</PageHeading>
      <p className="lead">{t('registers.fines.lead')}</p>
      <form className="card" onSubmit={submit} aria-label={t('registers.filters')} data-testid="fine-filters">
        <div className="toolbar register-filters">
          <Field label={t('registers.article')}>
            {(props) => <input {...props} className="field__input" name="article" value={draft.article} onChange={(e) => set('article', e.target.value)} />}
          </Field>
          <Field label={t('registers.offender')}>
            {(props) => (
              <select {...props} className="field__input" name="offender" value={draft.offender} onChange={(e) => set('offender', e.target.value)}>
                <option value="">{t('registers.anyOffender')}</option>
                {OFFENDERS.map((o) => (
                  <option key={o} value={o}>
                    {t(`registers.offender.${o}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {choosesCompany ? <CompanyPicker label={t('registers.company')} value={company} onChange={setCompany} testId="register-company" /> : null}
          <Field label={t('registers.from')}>
            {(props) => <input {...props} className="field__input" type="date" name="from" value={draft.from} onChange={(e) => set('from', e.target.value)} />}
          </Field>
          <Field label={t('registers.to')}>
            {(props) => <input {...props} className="field__input" type="date" name="to" value={draft.to} onChange={(e) => set('to', e.target.value)} />}
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
          <button type="button" className="button button--secondary" data-testid="fines-csv" onClick={() => void download()}>
            {t('registers.csv')}
          </button>
        </div>
        {failure ? <ErrorNotice error={failure} /> : null}
      </form>
      <RegisterList
        id="fine-register-heading"
        list={register}
        items={register.data?.items ?? NO_ITEMS}
        totals={register.data?.pages[0]?.totals}
        columns={columns}
        rowKey={(r) => r.id}
        testId="fine-register"
      />
    </div>
  );
}
