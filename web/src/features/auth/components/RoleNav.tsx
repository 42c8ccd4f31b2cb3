import { NavLink } from 'react-router';
import type { Role } from '@/lib/api/types';
import { useAccessToken } from '@/lib/auth/session';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { useMe } from '@/lib/api/me';
import '../auth.css';

const LINKS: Record<Role, readonly { to: string; label: MessageKey; end?: boolean }[]> = {
  resident: [
    { to: '/resident', label: 'nav.resident.mine', end: true },
    { to: '/resident/new', label: 'nav.resident.new' },
    { to: '/resident/my-data', label: 'nav.resident.myData' },
  ],
  clerk: [
    { to: '/clerk', label: 'nav.clerk.intake', end: true },
    { to: '/clerk/filed', label: 'nav.clerk.filed' },
    { to: '/clerk/person-data', label: 'nav.personData' },
  ],
  company: [
    { to: '/company', label: 'nav.company.queue' },
    { to: '/registers/orders', label: 'nav.registers.orders' },
    { to: '/registers/fines', label: 'nav.registers.fines' },
    { to: '/registers/acts', label: 'nav.registers.acts' },
  ],
  dispatcher: [
    { to: '/dispatcher', label: 'nav.dispatcher.board', end: true },
    { to: '/dispatcher/verification', label: 'nav.dispatcher.verify' },
    { to: '/dispatcher/deliveries', label: 'nav.messaging.deliveries' },
    { to: '/registers/orders', label: 'nav.registers.orders' },
    { to: '/registers/fines', label: 'nav.registers.fines' },
    { to: '/registers/acts', label: 'nav.registers.acts' },
  ],
  inspector: [
    { to: '/inspector', label: 'nav.inspector.queue', end: true },
    { to: '/inspector/calendar', label: 'nav.inspector.calendar' },
    { to: '/registers/orders', label: 'nav.registers.orders' },
    { to: '/registers/fines', label: 'nav.registers.fines' },
    { to: '/registers/acts', label: 'nav.registers.acts' },
  ],
  admin: [
    { to: '/admin', label: 'nav.admin.users', end: true },
    { to: '/admin/organisations', label: 'nav.admin.organisations' },
    { to: '/admin/buildings', label: 'nav.admin.buildings' },
    { to: '/admin/categories', label: 'nav.admin.categories' },
    { to: '/admin/policy', label: 'nav.admin.policy' },
    { to: '/admin/calendar', label: 'nav.admin.calendar' },
    { to: '/admin/fine-articles', label: 'nav.admin.fineArticles' },
    { to: '/registers/orders', label: 'nav.registers.orders' },
    { to: '/registers/fines', label: 'nav.registers.fines' },
    { to: '/registers/acts', label: 'nav.registers.acts' },
    { to: '/admin/api-keys', label: 'nav.admin.apiKeys' },
    { to: '/admin/deliveries', label: 'nav.messaging.deliveries' },
    { to: '/admin/message-templates', label: 'nav.messaging.templates' },
    { to: '/admin/document-templates', label: 'nav.admin.documentTemplates' },
    { to: '/admin/webhooks', label: 'nav.admin.webhooks' },
    { to: '/admin/audit-log', label: 'nav.admin.auditLog' },
    { to: '/admin/test-data', label: 'nav.admin.testData' },
    { to: '/admin/person-data', label: 'nav.personData' },
    { to: '/admin/retention', label: 'nav.admin.retention' },
  ],
};

/** The signed-in role's sections, under the header. */
export function RoleNav() {
  const { t } = useI18n();
  const token = useAccessToken();
  const me = useMe();
  if (token === null || !me.data) return null;
  const links = LINKS[me.data.role];
  return (
    <nav className="role-nav" aria-label={t('nav.role')}>
      <div className="container role-nav__inner">
        {links.map((link) => (
          <NavLink key={link.to} to={link.to} end={link.end} className="role-nav__link">
            {t(link.label)}
          </NavLink>
        ))}
      </div>
    </nav>
  );
}
