import { useState } from 'react';
import { Field } from '@/components/Field';
import type { CallOutcome } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { TransitionError } from '../TransitionError';
import { Section, Submit, type ActionProps } from './shared';

/** The four outcomes of a verification call; also used by the dispatcher's verification queue. */
export function CallOutcomes({ complaint, mutation, run, busy, error }: ActionProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const outcomes: CallOutcome[] = ['satisfied', 'unsatisfied', 'not_done', 'no_answer'];
  return (
    <div className="call-outcomes">
      <Field label={t('action.record_call.comment')} error={error('record_call', 'comment')}>
        {(props) => (
          <input {...props} className="field__input" type="text" value={comment} onChange={(e) => setComment(e.target.value)} />
        )}
      </Field>
      <div className="button-row" role="group" aria-label={t('action.record_call.title')}>
        {outcomes.map((outcome) => (
          <Submit
            key={outcome}
            busy={busy('record_call')}
            tone={outcome === 'satisfied' ? 'primary' : 'secondary'}
            testId={`outcome-${outcome}`}
            onClick={() =>
              run('record_call', { type: 'record_call', outcome, comment: comment.trim() === '' ? null : comment.trim() })
            }
          >
            {t(`outcome.${outcome}`)}
          </Submit>
        ))}
      </div>
      {complaint.unanswered_calls > 0 ? (
        <p className="muted">{t('action.record_call.unanswered', { n: complaint.unanswered_calls })}</p>
      ) : null}
      {mutation.isError && mutation.variables?.type === 'record_call' && !error('record_call', 'comment') ? (
        <TransitionError error={mutation.error} complaintId={complaint.id} onReloaded={() => mutation.reset()} />
      ) : null}
    </div>
  );
}

export function RecordCallAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.record_call.title')} testId="action-record_call">
      <p className="muted">{t('action.record_call.text')}</p>
      <CallOutcomes {...p} />
    </Section>
  );
}
