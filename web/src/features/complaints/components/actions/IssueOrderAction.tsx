import { useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { cityLocalToIso, isoToCityLocal } from '@/lib/time';
import { Section, Submit, type ActionProps } from './shared';

export function IssueOrderAction(p: ActionProps) {
  const { t } = useI18n();
  const [due, setDue] = useState(() => isoToCityLocal(new Date(Date.now() + 10 * 86_400_000).toISOString()).slice(0, 16));
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ due?: string; text?: string }>({});
  return (
    <Section title={t('action.issue_order.title')} testId="action-issue_order">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const iso = cityLocalToIso(due);
          const next: { due?: string; text?: string } = {};
          if (!iso) next.due = t('action.issue_order.dueInvalid');
          else if (Date.parse(iso) <= Date.now()) next.due = t('action.issue_order.duePast');
          if (text.trim() === '') next.text = t('action.textRequired');
          setErrors(next);
          if (next.due || next.text || !iso) return;
          p.run('issue_order', { type: 'issue_order', due_at: iso, text: text.trim() });
        }}
      >
        <Field label={t('action.issue_order.due')} hint={t('action.issue_order.dueHint')} error={errors.due ?? p.error('issue_order', 'due_at')}>
          {(props) => (
            <input
              {...props}
              className="field__input"
              type="datetime-local"
              step={1}
              value={due}
              data-testid="order-due"
              onChange={(e) => setDue(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('action.issue_order.text')} error={errors.text ?? p.error('issue_order', 'text')}>
          {(props) => (
            <textarea {...props} className="field__input field__textarea" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          )}
        </Field>
        <Submit busy={p.busy('issue_order')}>{t('action.issue_order.submit')}</Submit>
      </form>
    </Section>
  );
}
