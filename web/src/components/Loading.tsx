import { useI18n } from '@/lib/i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="loading__spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}
