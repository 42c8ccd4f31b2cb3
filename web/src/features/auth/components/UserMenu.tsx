import { Link, useLocation } from 'react-router';
import { useAccessToken } from '@/lib/auth/session';
import { useI18n } from '@/lib/i18n';
import { rolePath } from '@/lib/roles';
import { useMe } from '@/lib/api/me';
import { useSignOut } from '../hooks/useSignOut';
import '../auth.css';

/** The header's corner: who is signed in and a sign-out button, or a sign-in link. */
export function UserMenu() {
  const { t } = useI18n();
  const token = useAccessToken();
  const me = useMe();
  const signOut = useSignOut();
  const { pathname } = useLocation();

  if (token === null || !me.data) {
    if (pathname === '/login') return null;
    return (
      <Link className="button button--header" to="/login">
        {t('nav.signIn')}
      </Link>
    );
  }

  const user = me.data;
  return (
    <div className="user-menu" aria-label={t('user.menuLabel')} role="group">
      <Link className="user-menu__who" to={rolePath(user.role)} data-testid="current-user">
        <span className="visually-hidden">{t('user.signedInAs')} </span>
        <span className="user-menu__name">{user.name}</span>
        <span className="user-menu__role">{t(`role.${user.role}.name`)}</span>
      </Link>
      <Link className="button button--header" to="/profile/notifications" data-testid="messaging-link">
        {t('nav.profile.messaging')}
      </Link>
      <button type="button" className="button button--header" onClick={signOut}>
        {t('user.signOut')}
      </button>
    </div>
  );
}
