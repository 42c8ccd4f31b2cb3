import { useState } from 'react';
import { Field } from '@/components/Field';
import type { RejectReason } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function RejectAction(p: ActionProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<RejectReason>('duplicate');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const reasons: RejectReason[] = ['duplicate', 'not_housing_matter', 'other'];
  return (
    <Section title={t('action.reject.title')} testId="action-reject">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason === 'other' && comment.trim() === '') return setMissing(true);
          p.run('reject', { type: 'reject', reason, comment: comment.trim() });
        }}
      >
        <Field label={t('action.reject.reason')} error={p.error('reject', 'reason')}>
          {(props) => (
            <select {...props} className="field__input" value={reason} onChange={(e) => setReason(e.target.value as RejectReason)}>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {t(`reject.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('action.reject.comment')}
          hint={t('action.reject.commentHint')}
          error={missing ? t('action.textRequired') : p.error('reject', 'comment')}
        >
          {(props) => (
            <textarea
              {...props}
              className="field__input field__textarea"
              rows={2}
              value={comment}
              onChange={(e) => {
                setComment(e.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        <Submit busy={p.busy('reject')} tone="danger">
          {t('action.reject.submit')}
        </Submit>
      </form>
    </Section>
  );
}
