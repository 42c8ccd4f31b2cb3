import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { Me, Role } from '@/lib/api/types';
import { sessionStore, useAccessToken } from '@/lib/auth/session';
import { useI18n } from '@/lib/i18n';
import { rolePath } from '@/lib/roles';
import { useMe } from '@/lib/api/me';
import type { LoginLocationState } from './LoginPage';

interface Props {
  /** The role the page is for; `any` for pages every signed-in role may open. */
  role: Role | 'any';
  children: (me: Me) => ReactNode;
}

/**
 * A cosmetic gate: it keeps people on the page meant for them. The server decides what each
 * role may actually see and do.
 */
export function RequireRole({ role, children }: Props) {
  const { t } = useI18n();
  const token = useAccessToken();
  const location = useLocation();
  const me = useMe();

  if (token === null) {
    // A page guarded here may be open while the user signs out; say so rather than "sign in to see it".
    const state: LoginLocationState =
      sessionStore.lastEndReason() === 'signed_out' ? { signedOut: true } : { from: location.pathname };
    return <Navigate to="/login" replace state={state} />;
  }
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorNotice error={me.error} title={t('error.loadProfile')} onRetry={() => void me.refetch()} />;

  const user = me.data;
  if (role !== 'any' && user.role !== role) {
    const required = t(`role.${role}.name`);
    return (
      <div className="narrow">
        <PageHeading title={t('gate.title')}>{t('gate.title')}</PageHeading>
        <p>{t('gate.text', { required, actual: t(`role.${user.role}.name`) })}</p>
        <p>
          <Link className="button button--primary" to={rolePath(user.role)}>
            {t('gate.goToMine')}
          </Link>
        </p>
      </div>
    );
  }
  return <>{children(user)}</>;
}
