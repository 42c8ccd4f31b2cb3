import { Link, useNavigate } from 'react-router';
import { PageHeading } from '@/components/PageHeading';
import type { CreatedComplaint } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { ComplaintForm } from './ComplaintForm';
import { ComplaintList } from './ComplaintList';
import type { ComplaintLocationState } from './ComplaintPage';

/** "My complaints": the resident's own complaints, newest first. */
export function ResidentHome() {
  const { t } = useI18n();
  return (
    <div data-testid="resident-home">
      <PageHeading title={t('resident.title')}>{t('resident.title')}</PageHeading>
      <p className="actions">
        <Link className="button button--primary" to="/resident/new" data-testid="new-complaint">
          {t('resident.new')}
        </Link>
      </p>
      <ComplaintList query={{ sort: 'newest', limit: 20 }} label={t('resident.title')} empty={t('resident.empty')} showCompany />
    </div>
  );
}

/** "File a complaint". */
export function NewComplaintPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  function onCreated(created: CreatedComplaint, uploads?: { uploadFailed: number }) {
    const state: ComplaintLocationState = { created: true, duplicates: created.possible_duplicates, uploadFailed: uploads?.uploadFailed ?? 0 };
    void navigate(`/complaints/${created.complaint.id}`, { state });
  }
  return (
    <div className="narrow">
      <p>
        <Link to="/resident">{t('complaint.back')}</Link>
      </p>
      <PageHeading title={t('resident.new')} focus={false}>
        {t('resident.new')}
      </PageHeading>
      <p className="lead">{t('resident.newLead')}</p>
      <div className="card">
        <ComplaintForm mode="resident" onCreated={onCreated} />
      </div>
    </div>
  );
}
