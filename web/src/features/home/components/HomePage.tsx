import { API_DOCS_URL } from '@/lib/links';
import { Link } from 'react-router';
import { PageHeading } from '@/components/PageHeading';
import { useI18n, type MessageKey } from '@/lib/i18n';
import '../home.css';

const STEPS: readonly MessageKey[] = ['home.step1', 'home.step2', 'home.step3', 'home.step4', 'home.step5'];

export function HomePage() {
  const { t } = useI18n();
  return (
    <div className="home">
      <section className="hero">
        <PageHeading title={t('nav.home')} focus={false}>
          {t('home.title')}
        </PageHeading>
        <p className="lead">{t('home.lead')}</p>
        <div className="actions">
          <Link className="button button--primary" to="/login">
            {t('home.signInCta')}
          </Link>
          <Link className="button button--secondary" to="/register">
            {t('home.registerCta')}
          </Link>
          <Link className="button button--secondary" to="/status">
            {t('home.statusCta')}
          </Link>
          <Link className="button button--secondary" to="/scorecard">
            {t('home.scoreCta')}
          </Link>
          <Link className="button button--secondary" to="/map">
            {t('home.mapCta')}
          </Link>
          <a className="button button--secondary" href={API_DOCS_URL}>
            {t('home.docsCta')}
          </a>
        </div>
        <p className="muted">{t('home.accountsNote')}</p>
      </section>

      <section className="card" aria-labelledby="how-title">
        <h2 id="how-title">{t('home.howTitle')}</h2>
        <ol className="steps">
          {STEPS.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ol>
      </section>
    </div>
  );
}
