// The global styles come first, so that a feature's own styles (imported with it) follow them.
import './styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/App';
import { refreshSession } from '@/lib/api/client';
import { sessionStore } from '@/lib/auth/session';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const root = createRoot(container);
// A new tab: sign in silently with the refresh cookie of this browser's sign-in, if there is one.
void (sessionStore.getToken() === null ? refreshSession() : Promise.resolve(true)).finally(() =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
