export { MyDataPage } from './components/MyDataPage';
export { PersonDataPage } from './components/PersonDataPage';
