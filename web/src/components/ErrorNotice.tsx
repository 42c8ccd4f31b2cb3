import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';

interface Props {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

export function ErrorNotice({ error, title, onRetry }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div className="notice notice--error" role="alert">
      {title ? <p className="notice__title">{title}</p> : null}
      <p>{problemMessage(error, i18n)}</p>
      {onRetry ? (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  );
}
