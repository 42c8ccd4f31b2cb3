import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { CreatedComplaint, DuplicateRef } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useComplaint } from '../api/queries';
import { ComplaintForm } from './ComplaintForm';
import { ComplaintList } from './ComplaintList';
import { Duplicates } from './ComplaintPage';

const PIN_KEY = (id: string) => `dispatch.receipt.${id}`;

interface ReceiptState {
  pin?: string | null;
  duplicates?: DuplicateRef[];
}

function ClerkTabs() {
  const { t } = useI18n();
  return (
    <p className="actions">
      <Link className="button button--secondary" to="/clerk/filed">
        {t('clerk.filed')}
      </Link>
    </p>
  );
}

/** The TOS clerk's intake form: keyboard first, then the receipt. */
export function ClerkIntakePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  function onCreated(created: CreatedComplaint) {
    // The PIN is returned once; keep it for this tab so a reload of the receipt still shows it.
    if (created.pin) {
      try {
        window.sessionStorage.setItem(PIN_KEY(created.complaint.id), created.pin);
      } catch {
        // Storage disabled: the receipt shows the PIN until the page is left.
      }
    }
    const state: ReceiptState = { pin: created.pin, duplicates: created.possible_duplicates };
    void navigate(`/clerk/receipt/${created.complaint.id}`, { state });
  }
  return (
    <div className="narrow" data-testid="clerk-intake">
      <PageHeading title={t('clerk.title')} focus={false}>
        {t('clerk.title')}
      </PageHeading>
      <p className="lead">{t('clerk.lead')}</p>
      <ClerkTabs />
      <div className="card">
        <ComplaintForm mode="clerk" onCreated={onCreated} />
      </div>
    </div>
  );
}

/** What this clerk has filed. */
export function ClerkFiledPage() {
  const { t } = useI18n();
  return (
    <div>
      <p>
        <Link to="/clerk">{t('clerk.backToIntake')}</Link>
      </p>
      <PageHeading title={t('clerk.filed')}>{t('clerk.filed')}</PageHeading>
      <ComplaintList query={{ sort: 'newest', limit: 20 }} label={t('clerk.filed')} empty={t('clerk.filedEmpty')} showCompany />
    </div>
  );
}

/** The printable receipt: number, PIN, date, address, category, how to check the status. */
export function ReceiptPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const state = (useLocation().state ?? {}) as ReceiptState;
  const complaint = useComplaint(id);
  let pin = state.pin ?? null;
  if (!pin) {
    try {
      pin = window.sessionStorage.getItem(PIN_KEY(id));
    } catch {
      pin = null;
    }
  }
  if (complaint.isPending) return <Loading />;
  if (complaint.isError) return <ErrorNotice error={complaint.error} onRetry={() => void complaint.refetch()} />;
  const c = complaint.data;
  const statusUrl = `${window.location.origin}/status`;
  return (
    <div className="receipt-page">
      <div className="no-print">
        <p>
          <Link to="/clerk">{t('clerk.backToIntake')}</Link>
        </p>
      </div>
      <PageHeading title={t('receipt.title', { number: c.number })} focus={false}>
        <span className="no-print">{t('receipt.heading')}</span>
      </PageHeading>
      {state.duplicates && state.duplicates.length > 0 ? (
        <div className="notice no-print">
          <Duplicates items={state.duplicates} />
        </div>
      ) : null}
      <article className="receipt card" data-testid="receipt" aria-labelledby="receipt-title">
        <h2 id="receipt-title" className="receipt__title">
          {t('receipt.docTitle')}
        </h2>
        <p className="receipt__org">{t('app.name')}</p>
        <dl className="facts receipt__facts">
          <div>
            <dt>{t('receipt.number')}</dt>
            <dd className="receipt__big" data-testid="receipt-number">
              {c.number}
            </dd>
          </div>
          <div>
            <dt>{t('receipt.pin')}</dt>
            <dd className="receipt__big" data-testid="receipt-pin">
              {pin ?? t('receipt.pinUnavailable')}
            </dd>
          </div>
          <div>
            <dt>{t('receipt.date')}</dt>
            <dd>{formatDateTime(c.registered_at, language)}</dd>
          </div>
          {c.applicant.name ? (
            <div>
              <dt>{t('complaint.applicant')}</dt>
              <dd>{c.applicant.name}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('complaint.address')}</dt>
            <dd>
              {c.building.address}
              {c.flat ? t('complaint.flatSuffix', { flat: c.flat }) : ''}
            </dd>
          </div>
          <div>
            <dt>{t('complaint.category')}</dt>
            <dd>{language === 'ru' ? c.category.name_ru : c.category.name_en}</dd>
          </div>
          <div>
            <dt>{t('complaint.company')}</dt>
            <dd>{c.company?.name ?? t('complaint.noCompany')}</dd>
          </div>
        </dl>
        <p className="receipt__how">{t('receipt.how', { url: statusUrl })}</p>
        <p className="muted">{t('receipt.keep')}</p>
      </article>
      <p className="actions no-print">
        <button type="button" className="button button--primary" onClick={() => window.print()} data-testid="print">
          {t('receipt.print')}
        </button>
        <Link className="button button--secondary" to="/clerk">
          {t('receipt.next')}
        </Link>
      </p>
    </div>
  );
}
