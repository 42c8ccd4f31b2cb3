import './inspection.css';
export { FineRegisterPage } from './components/FineRegisterPage';
export { OrderRegisterPage } from './components/OrderRegisterPage';
export { VisitsCalendarPage } from './components/VisitsCalendarPage';
export { DocumentTemplatesPage } from './components/DocumentTemplatesPage';
