// The inbox page (lazy-loaded); the bell is imported by the layout directly.
export { NotificationsPage } from './components/NotificationsPage';
