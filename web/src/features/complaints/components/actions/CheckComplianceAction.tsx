import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function CheckComplianceAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.check_compliance.title')} testId="action-check_compliance">
      <p className="muted">{t('action.check_compliance.text')}</p>
      <div className="button-row">
        <Submit busy={p.busy('check_compliance')} onClick={() => p.run('check_compliance', { type: 'check_compliance', complied: true })} testId="complied-yes">
          {t('action.check_compliance.yes')}
        </Submit>
        {p.complaint.order?.complied === false ? null : (
          <Submit
            busy={p.busy('check_compliance')}
            tone="secondary"
            onClick={() => p.run('check_compliance', { type: 'check_compliance', complied: false })}
            testId="complied-no"
          >
            {t('action.check_compliance.no')}
          </Submit>
        )}
      </div>
    </Section>
  );
}
