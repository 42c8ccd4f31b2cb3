// The pieces every registry form shares (organisations, buildings, categories).
import { useI18n } from '@/lib/i18n';

/** "Saved: …" once a record was created or changed. */
export function SavedNotice({ name, testId }: { name: string | null; testId?: string }) {
  const { t } = useI18n();
  if (!name) return null;
  return (
    <p className="notice notice--success" role="status" data-testid={testId}>
      {t('registry.saved', { name })}
    </p>
  );
}

/** Create, or save and cancel while editing. */
export function SaveButtons({ editing, pending, onCancel }: { editing: boolean; pending: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="button-row">
      <button type="submit" className="button button--primary" disabled={pending}>
        {editing ? t('registry.save') : t('admin.create')}
      </button>
      {editing ? (
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('registry.cancel')}
        </button>
      ) : null}
    </div>
  );
}
