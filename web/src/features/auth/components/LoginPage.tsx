import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { LoginResponse } from '@/lib/api/types';
import { useAccessToken } from '@/lib/auth/session';
import { useI18n } from '@/lib/i18n';
import { rolePath } from '@/lib/roles';
import { useMe } from '@/lib/api/me';
import { LoginForm } from './LoginForm';

export interface LoginLocationState {
  /** The protected page the user was sent away from. */
  from?: string;
  signedOut?: boolean;
}

export function LoginPage() {
  const { t } = useI18n();
  const token = useAccessToken();
  const me = useMe();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginLocationState;

  if (token !== null) {
    if (me.data) return <Navigate to={rolePath(me.data.role)} replace />;
    if (me.isPending) return <Loading />;
  }

  function handleSignedIn(response: LoginResponse) {
    const own = rolePath(response.user.role);
    void navigate(state.from === own ? state.from : own, { replace: true });
  }

  return (
    <div className="narrow">
      <PageHeading title={t('login.title')} focus={false}>
        {t('login.title')}
      </PageHeading>
      {state.signedOut ? (
        <p className="notice notice--info" role="status">
          {t('login.signedOut')}
        </p>
      ) : null}
      {state.from ? (
        <p className="notice notice--info" role="status">
          {t('login.sessionRequired')}
        </p>
      ) : null}
      <p className="lead">{t('login.intro')}</p>
      <div className="card">
        <LoginForm onSignedIn={handleSignedIn} />
      </div>
      <p>
        {t('login.noAccount')} <Link to="/register">{t('login.register')}</Link>
      </p>
      <p>
        {t('login.statusNote')} <Link to="/status">{t('login.statusLink')}</Link>
      </p>
    </div>
  );
}
