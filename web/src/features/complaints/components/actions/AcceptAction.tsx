import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function AcceptAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.accept.title')} testId="action-accept">
      <p className="muted">{t('action.accept.text')}</p>
      <Submit busy={p.busy('accept')} onClick={() => p.run('accept', { type: 'accept' })}>
        {t('action.accept.submit')}
      </Submit>
    </Section>
  );
}
