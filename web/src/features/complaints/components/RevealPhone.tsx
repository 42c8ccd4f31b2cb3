import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { useI18n } from '@/lib/i18n';
import type { useRevealPhone } from '../api/queries';

/** The shortest reason the server accepts (domain::audit::REASON_MIN_CHARS). */
const MIN_REASON = 5;

/**
 * The dispatcher reveals the applicant's full phone, saying why: the reason goes into the audit
 * log (Federal Law 152-FZ).
 */
export function RevealPhone({ reveal }: { reveal: ReturnType<typeof useRevealPhone> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState(t('reveal.defaultReason'));
  const id = useId();
  const ready = reason.trim().length >= MIN_REASON;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    reveal.mutate(reason.trim());
  };
  if (reveal.data) return null;
  return (
    <form className="button-row" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('reveal.reason')}
      </label>
      <input
        id={id}
        className="field__input field__input--short"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={300}
        placeholder={t('reveal.reason')}
        title={t('reveal.hint')}
        data-testid="reveal-reason"
      />
      <button type="submit" className="button button--small" disabled={reveal.isPending || !ready} data-testid="reveal-phone">
        {t('verify.reveal')}
      </button>
      {reveal.isError ? <ErrorNotice error={reveal.error} /> : null}
    </form>
  );
}
