import { PageHeading } from '@/components/PageHeading';
import type { Me, Role } from '@/lib/api/types';
import { useI18n, type MessageKey } from '@/lib/i18n';

/** What each role will do (DOMAIN.md, "Roles"); the screens themselves arrive in later issues. */
const DUTIES = {
  resident: ['role.resident.duty1', 'role.resident.duty2', 'role.resident.duty3', 'role.resident.duty4'],
  clerk: ['role.clerk.duty1', 'role.clerk.duty2', 'role.clerk.duty3'],
  company: ['role.company.duty1', 'role.company.duty2', 'role.company.duty3', 'role.company.duty4'],
  dispatcher: [
    'role.dispatcher.duty1',
    'role.dispatcher.duty2',
    'role.dispatcher.duty3',
    'role.dispatcher.duty4',
    'role.dispatcher.duty5',
  ],
  inspector: ['role.inspector.duty1', 'role.inspector.duty2', 'role.inspector.duty3', 'role.inspector.duty4'],
  admin: ['role.admin.duty1', 'role.admin.duty2', 'role.admin.duty3', 'role.admin.duty4'],
} as const satisfies Record<Role, readonly MessageKey[]>;

export function RolePage({ me }: { me: Me }) {
  const { t } = useI18n();
  const roleName = t(`role.${me.role}.name`);
  const title = t('rolePage.title', { role: roleName });

  return (
    <div className="role-page" data-testid={`role-page-${me.role}`}>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t(`role.${me.role}.summary`)}</p>

      <div className="grid">
        <section className="card" aria-labelledby="who-title">
          <h2 id="who-title">{t('rolePage.whoTitle')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('rolePage.name')}</dt>
              <dd data-testid="user-name">{me.name}</dd>
            </div>
            <div>
              <dt>{t('rolePage.role')}</dt>
              <dd data-testid="user-role">{roleName}</dd>
            </div>
            <div>
              <dt>{t('rolePage.organisation')}</dt>
              <dd data-testid="user-organisation">{me.organisation?.name ?? t('rolePage.noOrganisation')}</dd>
            </div>
            <div>
              <dt>{t('rolePage.login')}</dt>
              <dd>{me.login}</dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby="duties-title">
          <h2 id="duties-title">{t('rolePage.dutiesTitle')}</h2>
          <ul className="duties">
            {DUTIES[me.role].map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
          <p className="muted">{t('rolePage.comingSoon')}</p>
        </section>
      </div>
    </div>
  );
}
