export { StatusPage } from './components/StatusPage';
