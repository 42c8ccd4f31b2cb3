import { useEffect, useRef, useState } from 'react';
import { useI18n } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

export function WithdrawAction(p: ActionProps) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  return (
    <Section title={t('action.withdraw.title')} testId="action-withdraw">
      {confirming ? (
        <div ref={confirmRef} className="confirm" role="alertdialog" aria-modal="false" aria-labelledby="withdraw-q" tabIndex={-1}>
          <p id="withdraw-q">{t('action.withdraw.confirm')}</p>
          <div className="button-row">
            <Submit busy={p.busy('withdraw')} tone="danger" onClick={() => p.run('withdraw', { type: 'withdraw' })} testId="withdraw-confirm">
              {t('action.withdraw.yes')}
            </Submit>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setConfirming(false);
                setTimeout(() => openRef.current?.focus(), 0);
              }}
            >
              {t('action.withdraw.no')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="muted">{t('action.withdraw.text')}</p>
          <button ref={openRef} type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
            {t('action.withdraw.submit')}
          </button>
        </>
      )}
    </Section>
  );
}
