import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { OrganisationEntry } from '@/lib/api/types';

/** GET /api/v1/organisations: the staff directory, by name (type-ahead for the company pickers). */
export function useOrganisationSearch(q: string, limit = 8, enabled = true) {
  return useQuery({
    queryKey: ['organisations', 'directory', q, limit],
    queryFn: (): Promise<OrganisationEntry[]> =>
      call(api.GET('/api/v1/organisations', { params: { query: { q, limit, kind: 'management_company' } } })).then((page) => page.items),
    staleTime: 60 * 1000,
    placeholderData: (previous) => previous,
    enabled,
  });
}
