import { useI18n } from '@/lib/i18n';

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Show more" under a keyset list: fetches the next page; nothing once the last one is in. */
export function LoadMore({ list }: { list: Pages }) {
  const { t } = useI18n();
  if (!list.hasNextPage) return null;
  return (
    <button type="button" className="button button--secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
      {list.isFetchingNextPage ? t('app.loading') : t('list.more')}
    </button>
  );
}
