import { useI18n } from '@/lib/i18n';
import { useMeta } from '@/lib/api/meta';
import '../meta.css';

/** Shown on every page while the service runs in test (pilot) mode. */
export function PilotBanner() {
  const { t } = useI18n();
  const { data } = useMeta();
  if (!data?.pilot_mode) return null;
  return (
    <aside className="pilot-banner" aria-label={t('pilot.banner')} data-testid="pilot-banner">
      <div className="container pilot-banner__inner">
        <span className="pilot-banner__icon" aria-hidden="true">
          !
        </span>
        <p>
          <strong>{t('pilot.banner')}</strong> <span className="pilot-banner__detail">{t('pilot.bannerDetail')}</span>
        </p>
      </div>
    </aside>
  );
}
