import { lazy, type ComponentType, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { RequireRole } from '@/features/auth/components/RequireRole';
import { HomePage } from '@/features/home/components/HomePage';
import type { Me, Role } from '@/lib/api/types';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

// Role areas load on demand: the public pages' initial JavaScript stays small.
const complaints = () => import('@/features/complaints');
const page = <K extends string>(load: () => Promise<Record<K, ComponentType<{ me: Me }>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const ResidentHome = page(complaints, 'ResidentHome');
const NewComplaintPage = page(complaints, 'NewComplaintPage');
const ClerkIntakePage = page(complaints, 'ClerkIntakePage');
const ClerkFiledPage = page(complaints, 'ClerkFiledPage');
const ReceiptPage = page(complaints, 'ReceiptPage');
const CompanyQueue = page(complaints, 'CompanyQueue');
const DispatcherBoard = page(complaints, 'DispatcherBoard');
const VerificationQueue = page(complaints, 'VerificationQueue');
const InspectorQueue = page(complaints, 'InspectorQueue');
const ComplaintPage = page(complaints, 'ComplaintPage');
const admin = () => import('@/features/admin');
const UsersPage = page(admin, 'UsersPage');
const OrganisationsPage = page(admin, 'OrganisationsPage');
const BuildingsPage = page(admin, 'BuildingsPage');
const CategoriesPage = page(admin, 'CategoriesPage');
const FineArticlesPage = page(admin, 'FineArticlesPage');
const PolicyPage = page(admin, 'PolicyPage');
const CalendarPage = page(admin, 'CalendarPage');
const TestDataPage = page(admin, 'TestDataPage');
const AuditLogPage = page(admin, 'AuditLogPage');
const ApiKeysPage = page(admin, 'ApiKeysPage');
const WebhooksPage = page(admin, 'WebhooksPage');
const WebhookPage = page(admin, 'WebhookPage');
const privacy = () => import('@/features/privacy');
const MyDataPage = page(privacy, 'MyDataPage');
const PersonDataPage = page(privacy, 'PersonDataPage');
const RetentionPage = page(privacy, 'RetentionPage');
const inspection = () => import('@/features/inspection');
const OrderRegisterPage = page(inspection, 'OrderRegisterPage');
const FineRegisterPage = page(inspection, 'FineRegisterPage');
const ActRegisterPage = page(inspection, 'ActRegisterPage');
const VisitsCalendarPage = page(inspection, 'VisitsCalendarPage');
const DocumentTemplatesPage = page(inspection, 'DocumentTemplatesPage');
const NotificationsPage = page(() => import('@/features/notifications'), 'NotificationsPage');
const messaging = () => import('@/features/messaging');
const MessagingSettingsPage = page(messaging, 'MessagingSettingsPage');
const DeliveriesPage = page(messaging, 'DeliveriesPage');
const TemplatesPage = page(messaging, 'TemplatesPage');
const StatusPage = lazy(async () => ({ default: (await import('@/features/status')).StatusPage }));
const ScorecardPage = lazy(async () => ({ default: (await import('@/features/public')).ScorecardPage }));
const MapPage = lazy(async () => ({ default: (await import('@/features/public')).MapPage }));
const RegisterPage = lazy(async () => ({ default: (await import('@/features/auth/components/RegisterPage')).RegisterPage }));

function guarded(path: string, role: Role | 'any', Page: ComponentType<{ me: Me }>): RouteObject {
  const element: ReactNode = <RequireRole role={role}>{(me) => <Page me={me} />}</RequireRole>;
  return { path, element };
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      { path: '/status', element: <StatusPage /> },
      { path: '/scorecard', element: <ScorecardPage /> },
      { path: '/map', element: <MapPage /> },
      guarded('/resident', 'resident', ResidentHome),
      guarded('/resident/new', 'resident', NewComplaintPage),
      guarded('/resident/my-data', 'resident', MyDataPage),
      guarded('/clerk', 'clerk', ClerkIntakePage),
      guarded('/clerk/filed', 'clerk', ClerkFiledPage),
      guarded('/clerk/person-data', 'clerk', PersonDataPage),
      guarded('/admin/person-data', 'admin', PersonDataPage),
      guarded('/admin/retention', 'admin', RetentionPage),
      guarded('/clerk/receipt/:id', 'clerk', ReceiptPage),
      guarded('/company', 'company', CompanyQueue),
      guarded('/dispatcher', 'dispatcher', DispatcherBoard),
      guarded('/dispatcher/verification', 'dispatcher', VerificationQueue),
      guarded('/inspector', 'inspector', InspectorQueue),
      guarded('/admin', 'admin', UsersPage),
      guarded('/admin/organisations', 'admin', OrganisationsPage),
      guarded('/admin/buildings', 'admin', BuildingsPage),
      guarded('/admin/categories', 'admin', CategoriesPage),
      guarded('/admin/fine-articles', 'admin', FineArticlesPage),
      guarded('/admin/policy', 'admin', PolicyPage),
      guarded('/admin/calendar', 'admin', CalendarPage),
      guarded('/admin/api-keys', 'admin', ApiKeysPage),
      guarded('/admin/test-data', 'admin', TestDataPage),
      guarded('/admin/audit-log', 'admin', AuditLogPage),
      guarded('/admin/deliveries', 'admin', DeliveriesPage),
      guarded('/admin/message-templates', 'admin', TemplatesPage),
      guarded('/dispatcher/deliveries', 'dispatcher', DeliveriesPage),
      guarded('/profile/notifications', 'any', MessagingSettingsPage),
      guarded('/admin/webhooks', 'admin', WebhooksPage),
      guarded('/admin/webhooks/:id', 'admin', WebhookPage),
      guarded('/notifications', 'any', NotificationsPage),
      guarded('/complaints/:id', 'any', ComplaintPage),
      // The server decides who reads the registers (a company its own rows).
      guarded('/registers/orders', 'any', OrderRegisterPage),
      guarded('/registers/fines', 'any', FineRegisterPage),
      guarded('/registers/acts', 'any', ActRegisterPage),
      guarded('/inspector/calendar', 'inspector', VisitsCalendarPage),
      guarded('/admin/document-templates', 'admin', DocumentTemplatesPage),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
