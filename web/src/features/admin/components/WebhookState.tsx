import type { Webhook } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { disabledReasonKey } from '../webhooks';

/** On, or off with the reason. */
export function WebhookState({ webhook }: { webhook: Webhook }) {
  const { t } = useI18n();
  if (webhook.enabled) return <span className="badge badge--done" data-testid="webhook-state">{t('webhooks.state.on')}</span>;
  const reasonKey = disabledReasonKey(webhook.disabled_reason);
  const reason = reasonKey ? t(reasonKey) : webhook.disabled_reason;
  return (
    <span data-testid="webhook-state">
      <span className="badge badge--muted">{t('webhooks.state.off')}</span>
      {reason ? <span className="webhook-note muted">{reason}</span> : null}
    </span>
  );
}
