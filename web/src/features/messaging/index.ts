import './messaging.css';
export { DeliveriesPage } from './components/DeliveriesPage';
export { MessagingSettingsPage } from './components/MessagingSettingsPage';
export { TemplatesPage } from './components/TemplatesPage';
