import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, MemoryRouter } from 'react-router';
import { App } from '@/app/App';
import { routes } from '@/app/routes';
import { I18nProvider, type Language } from '@/lib/i18n';
import { storeLanguage } from '@/lib/i18n/language';

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

interface Options {
  language?: Language;
  path?: string;
}

/** Renders one component with the app's providers around it. */
export function renderWithProviders(ui: ReactElement, { language = 'ru', path = '/' }: Options = {}) {
  storeLanguage(language);
  const queryClient = testQueryClient();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <I18nProvider initialLanguage={language}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}

/** Renders the whole app at `path`, with the real routes. */
export function renderApp({ language = 'ru', path = '/' }: Options = {}) {
  storeLanguage(language);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = testQueryClient();
  const result = render(<App router={router} queryClient={queryClient} />);
  return { ...result, router, queryClient };
}
