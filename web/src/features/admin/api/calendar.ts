import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { CalendarOverview, CalendarUploadBody } from '@/lib/api/types';

const KEY = ['admin', 'calendar'];

/** GET /api/v1/admin/calendar: the years of the production calendar with their status, and every upload. */
export function useCalendar() {
  return useQuery({
    queryKey: KEY,
    queryFn: (): Promise<CalendarOverview> => call(api.GET('/api/v1/admin/calendar')),
  });
}

/** PUT /api/v1/admin/calendar/{year}: uploads one year (the server checks it and names each bad field). */
export function useUploadCalendarYear() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ year, body }: { year: number; body: CalendarUploadBody }): Promise<CalendarOverview> =>
      call(api.PUT('/api/v1/admin/calendar/{year}', { params: { path: { year } }, body })),
    onSuccess: (data) => queryClient.setQueryData(KEY, data),
  });
}
