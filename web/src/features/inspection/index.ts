import './inspection.css';
export { ActRegisterPage } from './components/ActRegisterPage';
export { FineRegisterPage } from './components/FineRegisterPage';
export { OrderRegisterPage } from './components/OrderRegisterPage';
export { VisitsCalendarPage } from './components/VisitsCalendarPage';
export { DocumentTemplatesPage } from './components/DocumentTemplatesPage';
