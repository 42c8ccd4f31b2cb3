import './public.css';
export { MapPage } from './components/MapPage';
export { ScorecardPage } from './components/ScorecardPage';
