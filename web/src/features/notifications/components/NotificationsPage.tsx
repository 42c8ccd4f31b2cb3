import { Link } from 'react-router';
import { ErrorNotice } from '@/components/ErrorNotice';
import { LoadMore } from '@/components/LoadMore';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { Me } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useInbox, useMarkRead } from '../api/queries';
import '../notifications.css';

/** The signed-in user's notifications, newest first; each links to its complaint. */
export function NotificationsPage(_props: { me: Me }) {
  const { t, language } = useI18n();
  const inbox = useInbox();
  const markRead = useMarkRead();
  const items = inbox.data?.items ?? NO_ITEMS;
  const unread = inbox.data?.pages[0]?.unread ?? 0;
  const title = t('notifications.title');

  return (
    <div data-testid="notifications-page">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="muted" data-testid="notifications-unread">
        {unread > 0 ? t('notifications.unreadCount', { count: unread }) : t('notifications.allRead')}
      </p>
      {inbox.isPending ? <Loading /> : null}
      {inbox.isError ? <ErrorNotice error={inbox.error} onRetry={() => void inbox.refetch()} /> : null}
      {markRead.isError ? <ErrorNotice error={markRead.error} /> : null}
      {inbox.isSuccess && items.length === 0 ? <p className="card">{t('notifications.empty')}</p> : null}
      {items.length > 0 ? (
        <ul className="inbox" data-testid="notifications-list">
          {items.map((n) => {
            const isUnread = !n.read_at;
            return (
              <li key={n.id} className={`inbox__item${isUnread ? ' inbox__item--unread' : ''}`} data-testid="notification" data-unread={isUnread}>
                <div className="inbox__text">
                  {isUnread ? <span className="badge badge--new">{t('notifications.new')}</span> : null}
                  {n.complaint_id ? (
                    <Link to={`/complaints/${n.complaint_id}`} className="inbox__link">
                      {n.text}
                    </Link>
                  ) : (
                    <span>{n.text}</span>
                  )}
                </div>
                <div className="inbox__meta">
                  <time dateTime={n.created_at} className="muted">
                    {formatDateTime(n.created_at, language)}
                  </time>
                  {isUnread ? (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={markRead.isPending}
                      onClick={() => markRead.mutate(n.id)}
                      data-testid="mark-read"
                    >
                      {t('notifications.markRead')}
                      <span className="visually-hidden">: {n.text}</span>
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      <LoadMore list={inbox} />
    </div>
  );
}
