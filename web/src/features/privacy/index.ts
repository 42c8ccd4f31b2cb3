export { MyDataPage } from './components/MyDataPage';
export { PersonDataPage } from './components/PersonDataPage';
export { RetentionPage } from './components/RetentionPage';
