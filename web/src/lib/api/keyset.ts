// Keyset lists: the server answers a page with `next_cursor`, which the next request sends back as
// `cursor`. One hook (a page at a time, "Show more") and one loop (every page at once) do that.
import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryKey } from '@tanstack/react-query';

/** A page of a keyset list. */
export interface KeysetPage<T = unknown> {
  items: T[];
  next_cursor?: string | null;
}

/** The query parameter asking for the page after a cursor: empty for the first page. */
export type CursorParam = { cursor?: string };

type ItemOf<P> = P extends KeysetPage<infer T> ? T : never;

/** The pages fetched so far, and every item of them in order. */
export type KeysetData<P extends KeysetPage> = InfiniteData<P, string> & { items: ItemOf<P>[] };

const cursorParam = (cursor: string): CursorParam => (cursor ? { cursor } : {});

// Module-level, so that TanStack Query runs it only when the data changes (and `items` keeps its
// identity between renders).
function withItems<P extends KeysetPage>(data: InfiniteData<P, string>): KeysetData<P> {
  return { ...data, items: data.pages.flatMap((page) => page.items as ItemOf<P>[]) };
}

export interface KeysetOptions<P extends KeysetPage> {
  queryKey: QueryKey;
  /** Fetches one page; spread `cursor` into the request's query parameters. */
  fetchPage: (cursor: CursorParam) => Promise<P>;
  enabled?: boolean;
  refetchInterval?: number;
  refetchOnWindowFocus?: boolean;
  /** Keep showing the previous list while a changed query loads (e.g. a search box). */
  keepPrevious?: boolean;
}

/** A keyset list, a page at a time: `data.items` holds every item fetched, `fetchNextPage()` the next. */
export function useKeysetPages<P extends KeysetPage>({ queryKey, fetchPage, keepPrevious, ...rest }: KeysetOptions<P>) {
  // Only the options given, so that the query client's defaults apply to the others.
  const options = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as typeof rest;
  return useInfiniteQuery<P, Error, KeysetData<P>, QueryKey, string>({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(cursorParam(pageParam)),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    select: withItems,
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
    ...options,
  });
}

/** Every item of a keyset list, fetching page after page until there is no `next_cursor`. */
export async function fetchAllPages<T>(fetchPage: (cursor: CursorParam) => Promise<KeysetPage<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor = '';
  do {
    const page = await fetchPage(cursorParam(cursor));
    out.push(...page.items);
    cursor = page.next_cursor ?? '';
  } while (cursor);
  return out;
}

/** The items of a list that has not loaded yet: one shared empty array, stable between renders. */
export const NO_ITEMS: readonly never[] = [];
