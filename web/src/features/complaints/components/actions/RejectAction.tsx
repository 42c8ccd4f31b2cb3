import { useId, useState } from 'react';
import { Field } from '@/components/Field';
import type { RejectReason } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function RejectAction(p: ActionProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<RejectReason>('not_housing_matter');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [dialog, setDialog] = useState(false);
  const reasons: RejectReason[] = ['not_housing_matter', 'other'];
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
        <CommentField value={comment} missing={missing} error={p.error('reject', 'comment')} onChange={(v) => {
          setComment(v);
          setMissing(false);
        }} />
        <div className="form__submit">
          <Submit busy={p.busy('reject')} tone="danger">
            {t('action.reject.submit')}
          </Submit>
          <button type="button" className="button" data-testid="reject-duplicate-open" onClick={() => setDialog(true)}>
            {t('action.reject.duplicateOpen')}
          </button>
        </div>
      </form>
      {dialog ? <DuplicateDialog {...p} onClose={() => setDialog(false)} /> : null}
    </Section>
  );
}

function CommentField({ value, missing, error, onChange }: { value: string; missing: boolean; error?: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <Field label={t('action.reject.comment')} hint={t('action.reject.commentHint')} error={missing ? t('action.textRequired') : error}>
      {(props) => (
        <textarea {...props} className="field__input field__textarea" rows={2} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** "Duplicate…": the dispatcher names the original by its number; the server links and rejects. */
function DuplicateDialog(p: ActionProps & { onClose: () => void }) {
  const { t } = useI18n();
  const titleId = useId();
  const [original, setOriginal] = useState('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <div role="dialog" aria-labelledby={titleId} className="card" data-testid="reject-duplicate-dialog">
      <h4 id={titleId}>{t('action.reject.duplicateDialog')}</h4>
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (original.trim() === '') return setMissing(true);
          p.run('reject', { type: 'reject', reason: 'duplicate', comment: comment.trim(), duplicate_of: original.trim() });
        }}
      >
        <Field
          label={t('action.reject.original')}
          hint={t('action.reject.originalHint')}
          error={missing ? t('action.reject.originalRequired') : p.error('reject', 'duplicate_of')}
        >
          {(props) => (
            <input
              {...props}
              className="field__input"
              type="text"
              autoFocus
              autoComplete="off"
              maxLength={64}
              data-testid="reject-duplicate-original"
              value={original}
              onChange={(e) => {
                setOriginal(e.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        <CommentField value={comment} missing={false} error={p.error('reject', 'comment')} onChange={setComment} />
        <div className="form__submit">
          <Submit busy={p.busy('reject')} tone="danger">
            {t('action.reject.duplicateSubmit')}
          </Submit>
          <button type="button" className="button" onClick={p.onClose}>
            {t('action.reject.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
