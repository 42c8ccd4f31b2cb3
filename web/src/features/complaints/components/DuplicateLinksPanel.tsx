import { Link } from 'react-router';
import { useI18n } from '@/lib/i18n';
import { useComplaintDuplicates } from '../api/duplicates';

/** The complaint's original (when it is a duplicate), its linked duplicates and how many follow it. */
const linkTo = (id: string) => `/complaints/${id}`;

export function DuplicateLinksPanel({ id }: { id: string }) {
  const { t } = useI18n();
  const links = useComplaintDuplicates(id);
  const data = links.data;
  if (!data || (!data.duplicate_of && data.linked.length === 0 && data.followers_count === 0)) return null;
  return (
    <div data-testid="duplicate-links">
      <dt>{t('duplicates.title')}</dt>
      <dd>
        {data.duplicate_of ? (
          <p>
            {t('duplicates.duplicateOf')}: <Link to={linkTo(data.duplicate_of.id)}>{data.duplicate_of.number}</Link>
          </p>
        ) : null}
        {data.linked.length > 0 ? (
          <p>
            {t('duplicates.linked')}:{' '}
            {data.linked.map((d, i) => (
              <span key={d.id}>
                {i > 0 ? ', ' : ''}
                <Link to={linkTo(d.id)}>{d.number}</Link>
              </span>
            ))}
          </p>
        ) : null}
        {data.followers_count > 0 ? <p data-testid="followers-count">{t('duplicates.followers', { count: data.followers_count })}</p> : null}
      </dd>
    </div>
  );
}
