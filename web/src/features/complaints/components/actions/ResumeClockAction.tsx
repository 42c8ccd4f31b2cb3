import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function ResumeClockAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.resume_clock.title')} testId="action-resume_clock">
      <p className="muted">{t('action.resume_clock.text')}</p>
      <Submit busy={p.busy('resume_clock')} onClick={() => p.run('resume_clock', { type: 'resume_clock' })}>
        {t('action.resume_clock.submit')}
      </Submit>
    </Section>
  );
}
