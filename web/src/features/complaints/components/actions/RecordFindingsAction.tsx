import { useId, useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function RecordFindingsAction(p: ActionProps) {
  const { t } = useI18n();
  const [violation, setViolation] = useState(true);
  const [findings, setFindings] = useState('');
  const [missing, setMissing] = useState(false);
  const name = useId();
  return (
    <Section title={t('action.record_findings.title')} testId="action-record_findings">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (findings.trim() === '') return setMissing(true);
          p.run('record_findings', { type: 'record_findings', violation, findings: findings.trim() });
        }}
      >
        <fieldset className="fieldset fieldset--plain">
          <legend className="field__label">{t('action.record_findings.violation')}</legend>
          <label className="checkbox">
            <input type="radio" name={name} checked={violation} onChange={() => setViolation(true)} />
            <span>{t('action.record_findings.yes')}</span>
          </label>
          <label className="checkbox">
            <input type="radio" name={name} checked={!violation} onChange={() => setViolation(false)} />
            <span>{t('action.record_findings.no')}</span>
          </label>
        </fieldset>
        <Field label={t('action.record_findings.findings')} error={missing ? t('action.textRequired') : p.error('record_findings', 'findings')}>
          {(props) => (
            <textarea
              {...props}
              className="field__input field__textarea"
              rows={3}
              value={findings}
              onChange={(e) => {
                setFindings(e.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        <Submit busy={p.busy('record_findings')}>{t('action.record_findings.submit')}</Submit>
      </form>
    </Section>
  );
}
