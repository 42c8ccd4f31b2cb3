export { MyDataPage } from './components/MyDataPage';
