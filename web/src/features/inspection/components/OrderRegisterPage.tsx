import { useState, type FormEvent } from 'react';
import type { Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { CompanyPicker, type PickedCompany } from '@/components/CompanyPicker';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import type { OrderRegisterRow, OrderStatus } from '@/lib/api/types';
import { NO_ITEMS } from '@/lib/api/keyset';
import { useMe } from '@/lib/api/me';
import { useI18n } from '@/lib/i18n';
import { formatDate, formatMoney } from '@/lib/time';
import { downloadRegisterCsv, openOrderPdf, useOrderRegister, type OrderFilter } from '../api/registers';
import { OrderPreview } from './OrderPreview';
import { dayStart, RegisterList } from './RegisterList';

const STATUSES: readonly OrderStatus[] = ['open', 'complied', 'overdue', 'fined'];

interface Draft {
  status: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { status: '', from: '', to: '' };

function toFilter(d: Draft, company: PickedCompany | null): OrderFilter {
  return {
    status: (d.status || undefined) as OrderStatus | undefined,
    company_id: company?.id,
    from: dayStart(d.from, false),
    to: dayStart(d.to, true),
  };
}

/** The register of orders: filters, totals, CSV, and each order's printed document (PDF and a preview). */
export function OrderRegisterPage() {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [company, setCompany] = useState<PickedCompany | null>(null);
  // A management company sees only its own rows: no company to choose (cosmetic; the server decides).
  const choosesCompany = useMe().data?.role !== 'company';
  const [filter, setFilter] = useState<OrderFilter>({});
  const [preview, setPreview] = useState<OrderRegisterRow | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const register = useOrderRegister(filter);
  const firstPage = register.data?.pages[0];
  const set = (field: keyof Draft, value: string) => setDraft((d) => ({ ...d, [field]: value }));
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

  const columns: Column<OrderRegisterRow>[] = [
    { key: 'number', header: t('registers.number'), cell: (r) => r.number, rowHeader: true },
    { key: 'complaint', header: t('registers.complaint'), cell: (r) => r.complaint_number },
    { key: 'address', header: t('registers.address'), cell: (r) => r.address },
    { key: 'company', header: t('registers.companyName'), cell: (r) => r.company_name },
    { key: 'issued', header: t('registers.issued'), cell: (r) => formatDate(r.issued_at, language) },
    { key: 'due', header: t('registers.due'), cell: (r) => formatDate(r.due_at, language) },
    { key: 'status', header: t('registers.status'), cell: (r) => <span data-status={r.status}>{t(`registers.status.${r.status}`)}</span> },
    { key: 'fined', header: t('registers.fined'), cell: (r) => (r.fined_rub > 0 ? formatMoney(r.fined_rub, language) : '—') },
    {
      key: 'document',
      header: t('registers.document'),
      cell: (r) => (
        <span className="button-row">
          <button type="button" className="button button--small" onClick={() => void attempt(() => openOrderPdf(r.id))} data-testid="order-pdf">
            {t('registers.pdf')}
            <span className="visually-hidden"> {t('registers.pdfOf', { number: r.number })}</span>
          </button>
          <button type="button" className="button button--small button--secondary" onClick={() => setPreview(r)} data-testid="order-preview">
            {t('registers.preview')}
            <span className="visually-hidden"> {t('registers.pdfOf', { number: r.number })}</span>
          </button>
        </span>
      ),
    },
  ];

  return (
    <div data-testid="order-register-page">
      <PageHeading title={t('registers.orders.title')}>{t('registers.orders.title')}</PageHeading>
      <p className="lead">{t('registers.orders.lead')}</p>
      <form className="card" onSubmit={submit} aria-label={t('registers.filters')} data-testid="order-filters">
        <div className="toolbar register-filters">
          <Field label={t('registers.status')}>
            {(props) => (
              <select {...props} className="field__input" name="status" value={draft.status} onChange={(e) => set('status', e.target.value)}>
                <option value="">{t('registers.anyStatus')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`registers.status.${s}`)}
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
          <button type="button" className="button button--secondary" data-testid="orders-csv" onClick={() => void attempt(() => downloadRegisterCsv('orders', filter))}>
            {t('registers.csv')}
          </button>
        </div>
        {failure ? <ErrorNotice error={failure} /> : null}
      </form>
      <RegisterList
        id="order-register-heading"
        list={register}
        items={register.data?.items ?? NO_ITEMS}
        totals={firstPage?.totals}
        columns={columns}
        rowKey={(r) => r.id}
        testId="order-register"
      />
      {preview ? <OrderPreview order={preview} onClose={() => setPreview(null)} /> : null}
    </div>
  );
}
