import { QueryClient } from '@tanstack/react-query';
import { isApiProblem } from '@/lib/api/problem';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Retrying a 4xx repeats the same answer; network and 5xx errors get two more tries.
        retry: (failureCount, error) => !(isApiProblem(error) && error.isClientError) && failureCount < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
