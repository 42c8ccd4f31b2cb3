import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { sessionStore } from '@/lib/auth/session';
import { storeLanguage } from '@/lib/i18n/language';

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
  sessionStore.reload();
  storeLanguage('ru');
  window.localStorage.clear();
});
