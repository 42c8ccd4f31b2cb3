import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { Loading } from '@/components/Loading';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { RoleNav } from '@/features/auth/components/RoleNav';
import { UserMenu } from '@/features/auth/components/UserMenu';
import { NotificationBell } from '@/features/notifications/components/NotificationBell';
import { PilotBanner } from '@/features/meta/components/PilotBanner';
import { ServiceFooter } from '@/features/meta/components/ServiceFooter';
import { useI18n } from '@/lib/i18n';

export function Layout() {
  const { t } = useI18n();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link to="/" className="brand">
            <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="6" fill="#fff" />
              <path d="M6 16 16 7l10 9v10H6z" fill="currentColor" />
              <rect x="13" y="18" width="6" height="8" fill="#fff" />
            </svg>
            <span className="brand__name">{t('app.name')}</span>
          </Link>
          <div className="site-header__tools">
            <LanguageSwitch />
            <NotificationBell />
            <UserMenu />
          </div>
        </div>
      </header>
      <RoleNav />
      <PilotBanner />
      <main id="main" className="container main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <ServiceFooter />
    </div>
  );
}
