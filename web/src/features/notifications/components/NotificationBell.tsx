import { Link } from 'react-router';
import { useAccessToken } from '@/lib/auth/session';
import { useI18n } from '@/lib/i18n';
import { useUnreadCount } from '../api/queries';
import '../notifications.css';

/** The header's bell: a link to the inbox with the number of unread notifications. */
export function NotificationBell() {
  const { t } = useI18n();
  const token = useAccessToken();
  const unread = useUnreadCount();
  if (token === null) return null;
  const count = unread.data ?? 0;
  const label = count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell');
  return (
    <Link to="/notifications" className="bell" aria-label={label} title={label} data-testid="notification-bell" data-unread={count}>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      {count > 0 ? (
        <span className="bell__count" aria-hidden="true" data-testid="notification-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  );
}
