import { useDebounced } from '@/lib/hooks/useDebounced';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { formatDate } from '@/lib/time';
import { useFollowComplaint, useSimilarComplaints } from '../api/duplicates';

interface Props {
  mode: 'resident' | 'clerk';
  buildingId: string | null;
  categoryId: string;
  text: string;
  /** The clerk's applicant: their phone and consent, to join them by SMS. */
  applicant?: { phone: string; consent: boolean; consentVersion: string };
}

/**
 * Open complaints like the one being typed in (same building, same category or similar words), with
 * a "Join" button: joining follows that complaint instead of filing another. The server decides what
 * is similar and shows nothing personal.
 */
export function SimilarSuggestions({ mode, buildingId, categoryId, text, applicant }: Props) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const debouncedText = useDebounced(text.trim(), 400);
  const debouncedCategory = useDebounced(categoryId, 200);
  const similar = useSimilarComplaints(buildingId, debouncedCategory, debouncedText);
  const follow = useFollowComplaint();
  const items = similar.data ?? [];
  if (buildingId === null || items.length === 0) return null;

  const canJoin = mode === 'resident' || (applicant !== undefined && applicant.phone.trim() !== '' && applicant.consent);
  const join = (id: string) => {
    if (!canJoin) return;
    const body =
      mode === 'clerk' && applicant
        ? { phone: applicant.phone.trim(), consent: { accepted: applicant.consent, version: applicant.consentVersion } }
        : {};
    follow.mutate({ id, body });
  };

  return (
    <section className="notice" aria-live="polite" data-testid="similar-complaints">
      <p className="notice__title">{t('similar.title')}</p>
      <p className="field__hint">{t('similar.hint')}</p>
      {mode === 'clerk' && !canJoin ? <p className="field__hint">{t('similar.clerkNeedsPhone')}</p> : null}
      <ul>
        {items.map((s) => (
          <li key={s.id} data-testid="similar-item">
            {t('similar.item', {
              number: s.number,
              category: language === 'ru' ? s.category_name_ru : s.category_name_en,
              status: t(`status.${s.status}`),
              date: formatDate(s.filed_on, language),
            })}{' '}
            <button
              type="button"
              className="button button--small"
              disabled={!canJoin || follow.isPending}
              aria-label={t('similar.joinLabel', { number: s.number })}
              onClick={() => join(s.id)}
            >
              {t('similar.join')}
            </button>
          </li>
        ))}
      </ul>
      {follow.isSuccess ? (
        <p className="notice notice--success" role="status" data-testid="joined-notice">
          {follow.data.joined
            ? t('similar.joined', { number: follow.data.number, count: follow.data.followers_count })
            : t('similar.alreadyJoined', { number: follow.data.number })}
        </p>
      ) : null}
      {follow.isError ? (
        <p className="notice notice--error" role="alert">
          {problemMessage(follow.error, i18n)}
        </p>
      ) : null}
    </section>
  );
}
