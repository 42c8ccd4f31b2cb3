import { API_DOCS_URL } from '@/lib/links';
import { useI18n } from '@/lib/i18n';
import { useMeta } from '@/lib/api/meta';
import '../meta.css';

export function ServiceFooter() {
  const { t } = useI18n();
  const { data } = useMeta();
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <p>{t('footer.note')}</p>
        {data ? (
          <ul className="site-footer__facts">
            <li>{t('footer.city', { city: data.city })}</li>
            <li>{t('footer.timeZone', { zone: data.time_zone })}</li>
            <li>{t('footer.version', { version: data.version })}</li>
          </ul>
        ) : null}
        <p>
          <a href={API_DOCS_URL}>{t('nav.apiDocs')}</a>
        </p>
      </div>
    </footer>
  );
}
