import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { cityLocalToIso } from '@/lib/time';
import { useScheduleVisit, useUnderInspection } from '../api/registers';

/** The inspector schedules a visit (city time) to a complaint under inspection. */
export function ScheduleVisitForm() {
  const { t } = useI18n();
  const complaints = useUnderInspection();
  const schedule = useScheduleVisit();
  const [complaintId, setComplaintId] = useState('');
  const [at, setAt] = useState('');
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const iso = cityLocalToIso(at);
    if (!complaintId || !iso) return;
    schedule.mutate({ complaintId, at: iso, note }, { onSuccess: () => setNote('') });
  };
  const atError = serverFieldError(schedule.error, 'at');
  return (
    <form className="card" onSubmit={submit} data-testid="schedule-visit">
      <h2>{t('visits.schedule')}</h2>
      <div className="toolbar register-filters">
        <Field label={t('visits.complaint')}>
          {(props) => (
            <select {...props} className="field__input" required name="complaint" value={complaintId} onChange={(e) => setComplaintId(e.target.value)}>
              <option value="">{t('visits.pick')}</option>
              {(complaints.data?.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number} — {c.building.address}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('visits.when')} error={atError}>
          {(props) => <input {...props} className="field__input" type="datetime-local" required name="at" value={at} onChange={(e) => setAt(e.target.value)} />}
        </Field>
        <Field label={t('visits.note')}>
          {(props) => <input {...props} className="field__input" name="note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
      </div>
      {schedule.isError && !atError ? <ErrorNotice error={schedule.error} /> : null}
      {schedule.isSuccess ? <p role="status">{t('visits.scheduled')}</p> : null}
      <button type="submit" className="button" disabled={schedule.isPending}>
        {t('visits.submit')}
      </button>
    </form>
  );
}
