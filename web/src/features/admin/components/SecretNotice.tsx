import { useState } from 'react';
import { useI18n, type MessageKey } from '@/lib/i18n';

/** A webhook's secret, shown once (after creation or rotation), with a copy button and a warning. */
export function SecretNotice({ secret, title }: { secret: string; title: MessageKey }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="notice notice--success" role="status" data-testid="webhook-secret">
      <p className="notice__title">{t(title)}</p>
      <p className="muted">{t('webhooks.secret.hint')}</p>
      <p>
        <span className="visually-hidden">{t('webhooks.secret.label')}: </span>
        <code className="secret" data-testid="webhook-secret-value">
          {secret}
        </code>
      </p>
      <button
        type="button"
        className="button button--secondary"
        onClick={() =>
          void (navigator.clipboard?.writeText(secret) ?? Promise.reject(new Error('no clipboard'))).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? t('webhooks.secret.copied') : t('webhooks.secret.copy')}
      </button>
      {copied === false ? <p className="muted">{t('webhooks.secret.copyFailed')}</p> : null}
    </div>
  );
}
