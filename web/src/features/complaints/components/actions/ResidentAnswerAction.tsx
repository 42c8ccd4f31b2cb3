import { useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function ResidentAnswerAction(p: ActionProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const answer = (satisfied: boolean) =>
    p.run('resident_answer', { type: 'resident_answer', satisfied, comment: comment.trim() === '' ? null : comment.trim() });
  return (
    <Section title={t('action.resident_answer.title')} testId="action-resident_answer">
      <p>{t('action.resident_answer.text')}</p>
      <Field label={t('action.resident_answer.comment')} error={p.error('resident_answer', 'comment')}>
        {(props) => (
          <textarea {...props} className="field__input field__textarea" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
        )}
      </Field>
      <div className="button-row">
        <Submit busy={p.busy('resident_answer')} onClick={() => answer(true)} testId="answer-satisfied">
          {t('action.resident_answer.yes')}
        </Submit>
        <Submit busy={p.busy('resident_answer')} tone="secondary" onClick={() => answer(false)} testId="answer-unsatisfied">
          {t('action.resident_answer.no')}
        </Submit>
      </div>
    </Section>
  );
}
