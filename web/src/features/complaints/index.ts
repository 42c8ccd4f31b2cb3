// The role screens built on complaints; the app loads this module lazily.
import './complaints.css';
export { ClerkFiledPage, ClerkIntakePage, ReceiptPage } from './components/ClerkPages';
export { ComplaintPage } from './components/ComplaintPage';
export { NewComplaintPage, ResidentHome } from './components/ResidentPages';
export { VerificationQueue } from './components/CallDesk';
export { CompanyQueue, DispatcherBoard, InspectorQueue } from './components/StaffPages';
