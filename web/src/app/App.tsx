import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { I18nProvider } from '@/lib/i18n';
import { createQueryClient } from './query-client';
import { routes } from './routes';

type Router = ReturnType<typeof createBrowserRouter>;

interface Props {
  /** Tests pass a memory router and a fresh client; the browser gets the defaults. */
  router?: Router;
  queryClient?: QueryClient;
}

export function App({ router, queryClient }: Props) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const [appRouter] = useState(() => router ?? createBrowserRouter(routes));
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <RouterProvider router={appRouter} />
      </I18nProvider>
    </QueryClientProvider>
  );
}
