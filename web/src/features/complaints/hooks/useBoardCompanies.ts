import { useMemo } from 'react';
import { useComplaints } from '../api/queries';

/**
 * The management companies seen on the first page of the control board (id and name, by name).
 * There is no organisations endpoint for non-admins, so this is where the board and the reroute
 * action find them.
 */
export function useBoardCompanies() {
  const board = useComplaints({ limit: 100 });
  const companies = useMemo(() => {
    const map = new Map<string, string>();
    for (const c of board.data?.items ?? []) if (c.company) map.set(c.company.id, c.company.name);
    return [...map.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [board.data]);
  return { companies, isPending: board.isPending };
}
