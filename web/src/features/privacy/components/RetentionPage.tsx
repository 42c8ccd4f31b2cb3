import { PageHeading } from '@/components/PageHeading';
import { useI18n } from '@/lib/i18n';
import { formatDate, formatDateTime } from '@/lib/time';
import { useRetentionReport } from '../api/privacy';

/** Administrator: the retention schedule (152-FZ), what the worker erased or deleted and when, and what is due next. */
export function RetentionPage() {
  const { t, language } = useI18n();
  const report = useRetentionReport();
  const when = (iso: string | null | undefined) => (iso ? formatDate(iso, language) : t('retention.nothingDue'));
  return (
    <div data-testid="retention-page">
      <PageHeading title={t('retention.title')}>{t('retention.title')}</PageHeading>
      <p className="lead">{t('retention.lead')}</p>
      {report.isPending && <p>{t('app.loading')}</p>}
      {report.isError && <p role="alert">{t('retention.loadFailed')}</p>}
      {report.data && (
        <>
          <h2>{t('retention.schedule')}</h2>
          <table className="table" data-testid="retention-schedule">
            <thead>
              <tr>
                <th scope="col">{t('retention.what')}</th>
                <th scope="col">{t('retention.keptFor')}</th>
                <th scope="col">{t('retention.nextDue')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t('retention.personalData')}</th>
                <td>{t('retention.days', { n: report.data.schedule.personal_data_days })}</td>
                <td>{when(report.data.next.personal_data_at)}</td>
              </tr>
              <tr>
                <th scope="row">{t('retention.attachments')}</th>
                <td>{t('retention.days', { n: report.data.schedule.attachments_days })}</td>
                <td>{when(report.data.next.attachments_at)}</td>
              </tr>
              <tr>
                <th scope="row">{t('retention.auditLog')}</th>
                <td>{t('retention.days', { n: report.data.schedule.audit_log_days })}</td>
                <td>{when(report.data.next.audit_log_at)}</td>
              </tr>
              <tr>
                <th scope="row">{t('retention.idempotency')}</th>
                <td>{t('retention.hours', { n: report.data.schedule.idempotency_key_hours })}</td>
                <td>{t('retention.continuous')}</td>
              </tr>
            </tbody>
          </table>
          <p data-testid="retention-due">
            {t('retention.within30', { n: report.data.next.personal_data_within_30_days })}{' '}
            {t('retention.waiting', { n: report.data.next.erasure_requests_waiting })}
          </p>
          <h2>{t('retention.runs')}</h2>
          {report.data.runs.length === 0 ? (
            <p data-testid="retention-no-runs">{t('retention.noRuns')}</p>
          ) : (
            <table className="table" data-testid="retention-runs">
              <thead>
                <tr>
                  <th scope="col">{t('retention.at')}</th>
                  <th scope="col">{t('retention.complaintsErased')}</th>
                  <th scope="col">{t('retention.attachmentsDeleted')}</th>
                  <th scope="col">{t('retention.auditDeleted')}</th>
                  <th scope="col">{t('retention.keysDeleted')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.runs.map((run) => (
                  <tr key={run.at}>
                    <td>{formatDateTime(run.at, language)}</td>
                    <td>{run.complaints_erased}</td>
                    <td>{run.attachments_deleted}</td>
                    <td>{run.audit_entries_deleted}</td>
                    <td>{run.idempotency_keys_deleted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
