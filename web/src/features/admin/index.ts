import './admin.css';
export { ApiKeysPage } from './components/ApiKeysPage';
export { BuildingsPage } from './components/BuildingsPage';
export { CategoriesPage } from './components/CategoriesPage';
export { OrganisationsPage } from './components/OrganisationsPage';
export { TestDataPage } from './components/TestDataPage';
export { UsersPage } from './components/UsersPage';
export { WebhookPage } from './components/WebhookPage';
export { WebhooksPage } from './components/WebhooksPage';
