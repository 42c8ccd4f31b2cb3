import { useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { Section, Submit, type ActionProps } from './shared';

/** 59-FZ art. 12 part 2: the answer deadline may be extended once, by up to 30 days. */
const MAX_DAYS = 30;
const DAY_MS = 86_400_000;

/** The dispatcher extends the 59-FZ answer deadline once, with the reason; the applicant is told. */
export function ExtendAnswerAction(p: ActionProps) {
  const { t, language } = useI18n();
  const [days, setDays] = useState(String(MAX_DAYS));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ days?: string; reason?: string }>({});
  const value = Number(days);
  const valid = Number.isInteger(value) && value >= 1 && value <= MAX_DAYS;
  const newDue = valid ? new Date(Date.parse(p.complaint.answer_due_at) + value * DAY_MS).toISOString() : null;
  return (
    <Section title={t('action.extend_answer.title')} testId="action-extend_answer">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const next: { days?: string; reason?: string } = {};
          if (!valid) next.days = t('action.extend_answer.daysInvalid', { max: MAX_DAYS });
          if (reason.trim() === '') next.reason = t('action.textRequired');
          setErrors(next);
          if (next.days || next.reason) return;
          p.run('extend_answer', { type: 'extend_answer', days: value, reason: reason.trim() });
        }}
      >
        <p className="muted">{t('action.extend_answer.text', { due: formatDateTime(p.complaint.answer_due_at, language) })}</p>
        <Field
          label={t('action.extend_answer.days')}
          hint={newDue ? t('action.extend_answer.newDue', { due: formatDateTime(newDue, language) }) : undefined}
          error={errors.days ?? p.error('extend_answer', 'days')}
        >
          {(props) => (
            <input {...props} className="field__input" type="number" min={1} max={MAX_DAYS} step={1} value={days} onChange={(e) => setDays(e.target.value)} />
          )}
        </Field>
        <Field label={t('action.extend_answer.reason')} error={errors.reason ?? p.error('extend_answer', 'reason')}>
          {(props) => <textarea {...props} className="field__input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Submit busy={p.busy('extend_answer')} tone="secondary">
          {t('action.extend_answer.submit')}
        </Submit>
      </form>
    </Section>
  );
}
