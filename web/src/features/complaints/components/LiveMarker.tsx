import { useI18n } from '@/lib/i18n';

/** The quiet "N new" marker above a live list: the list changes only when it is pressed. */
export function LiveMarker({ changes, onShow }: { changes: number; onShow: () => void }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-live="polite" aria-label={t('live.newItemsLabel')}>
      {changes > 0 ? (
        <button type="button" className="button button--secondary button--small" data-testid="live-new" onClick={onShow}>
          {t('live.newItems', { n: changes })}
        </button>
      ) : null}
    </div>
  );
}
