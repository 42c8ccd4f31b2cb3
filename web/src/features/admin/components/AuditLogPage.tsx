import { useState, type FormEvent } from 'react';
import type { Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import type { AuditLogEntry } from '@/lib/api/types';
import { NO_ITEMS } from '@/lib/api/keyset';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { isRole } from '@/lib/roles';
import { cityLocalToIso, formatDateTime } from '@/lib/time';
import { downloadAuditCsv, useAuditLog, useStaff, type AuditFilter } from '../api/auditLog';
import { AdminList, RowButton } from './AdminList';

/** The actions the filter offers by name; the log may hold others, shown as they are. */
export const AUDIT_ACTIONS = [
  'reveal_phone',
  'read_applicant',
  'export_history',
  'purge_test_data',
  'user_created',
  'user_deactivated',
  'api_key_created',
  'api_key_revoked',
  'organisation_created',
  'building_created',
  'category_created',
] as const;

interface Draft {
  actor_id: string;
  action: string;
  complaint_id: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { actor_id: '', action: '', complaint_id: '', from: '', to: '' };

/** A date (YYYY-MM-DD) as the start of that day in the city, RFC 3339; `end` takes the next day's start. */
function dayStart(date: string, end: boolean): string | undefined {
  if (!date) return undefined;
  const iso = cityLocalToIso(`${date}T00:00`);
  if (!iso) return undefined;
  return end ? new Date(Date.parse(iso) + 24 * 3600 * 1000).toISOString() : iso;
}

function toFilter(d: Draft): AuditFilter {
  return {
    actor_id: d.actor_id || undefined,
    action: d.action || undefined,
    complaint_id: d.complaint_id.trim() || undefined,
    from: dayStart(d.from, false),
    to: dayStart(d.to, true),
  };
}

/** Administrator: the audit log (Federal Law 152-FZ) — who read or changed what, when and why; filters and a CSV export. */
export function AuditLogPage() {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [complaintLabel, setComplaintLabel] = useState<string | null>(null);
  const log = useAuditLog(filter);
  const staff = useStaff();
  const [csvError, setCsvError] = useState<unknown>(null);
  const [csvBusy, setCsvBusy] = useState(false);

  const actionLabel = (action: string) => {
    // An action the screen has no words for is shown as it is stored.
    const text: string | undefined = t(`audit.action.${action}` as MessageKey);
    return text || action;
  };
  const set = (field: keyof Draft, value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const apply = (next: Draft) => {
    setDraft(next);
    setFilter(toFilter(next));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.complaint_id !== filter.complaint_id) setComplaintLabel(null);
    apply(draft);
  };
  const download = async () => {
    setCsvBusy(true);
    setCsvError(null);
    try {
      await downloadAuditCsv(filter);
    } catch (error) {
      setCsvError(error);
    } finally {
      setCsvBusy(false);
    }
  };

  const columns: Column<AuditLogEntry>[] = [
    { key: 'at', header: t('audit.at'), cell: (r) => formatDateTime(r.at, language), rowHeader: true },
    {
      key: 'actor',
      header: t('audit.actor'),
      cell: (r) => (
        <>
          {r.actor_name ?? t('audit.gone')}
          {r.actor_role && isRole(r.actor_role) ? <small className="muted"> · {t(`role.${r.actor_role}.name`)}</small> : null}
        </>
      ),
    },
    { key: 'action', header: t('audit.action'), cell: (r) => actionLabel(r.action) },
    {
      key: 'complaint',
      header: t('audit.complaint'),
      cell: (r) =>
        r.complaint_id ? (
          <RowButton
            label={r.complaint_number ?? r.complaint_id.slice(0, 8)}
            name={t('audit.onlyThisComplaint')}
            onClick={() => {
              setComplaintLabel(r.complaint_number ?? r.complaint_id ?? null);
              apply({ ...draft, complaint_id: r.complaint_id ?? '' });
            }}
          />
        ) : (
          '—'
        ),
    },
    { key: 'reason', header: t('audit.reason'), cell: (r) => r.reason ?? '' },
  ];

  const actors = (staff.data ?? []).filter((u) => u.role !== 'resident');

  return (
    <div data-testid="audit-log-page">
      <PageHeading title={t('audit.title')}>{t('audit.title')}</PageHeading>
      <p className="lead">{t('audit.lead')}</p>
      <form className="card" onSubmit={submit} data-testid="audit-filters">
        <div className="toolbar registry-filters">
        <Field label={t('audit.actor')}>
          {(props) => (
            <select {...props} className="field__input" value={draft.actor_id} onChange={(e) => set('actor_id', e.target.value)} name="actor_id">
              <option value="">{t('audit.anyone')}</option>
              {actors.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.login})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.action')}>
          {(props) => (
            <select {...props} className="field__input" value={draft.action} onChange={(e) => set('action', e.target.value)} name="action">
              <option value="">{t('audit.anyAction')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.from')}>
          {(props) => <input {...props} className="field__input" type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} name="from" />}
        </Field>
        <Field label={t('audit.to')}>
          {(props) => <input {...props} className="field__input" type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} name="to" />}
        </Field>
        </div>
        {filter.complaint_id ? (
          <p data-testid="audit-complaint-filter">
            {t('audit.complaintFilter', { number: complaintLabel ?? filter.complaint_id })}{' '}
            <button type="button" className="button button--small" onClick={() => apply({ ...draft, complaint_id: '' })}>
              {t('audit.clearComplaint')}
            </button>
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button">
            {t('audit.apply')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => apply(EMPTY)}>
            {t('audit.reset')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => void download()} disabled={csvBusy} data-testid="audit-csv">
            {t('audit.csv')}
          </button>
        </div>
        <p className="field__hint">{t('audit.csvHint')}</p>
        {csvError ? <ErrorNotice error={csvError} /> : null}
      </form>
      <AdminList
        id="audit-log-heading"
        title={t('audit.entries')}
        list={log}
        items={log.data?.items ?? NO_ITEMS}
        columns={columns}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-action': r.action })}
        tableTestId="audit-log"
        empty={t('audit.empty')}
        pages={log}
      />
    </div>
  );
}
