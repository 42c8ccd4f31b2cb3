import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { fetchAllPages, useKeysetPages, type CursorParam, type KeysetPage } from './keyset';

// Three pages of a keyset list: 1-2, 3-4, 5.
const pages: Record<string, KeysetPage<number>> = {
  '': { items: [1, 2], next_cursor: 'c2' },
  c2: { items: [3, 4], next_cursor: 'c3' },
  c3: { items: [5], next_cursor: null },
};

function server() {
  const asked: CursorParam[] = [];
  const fetchPage = (cursor: CursorParam) => {
    asked.push(cursor);
    return Promise.resolve(pages[cursor.cursor ?? '']!);
  };
  return { asked, fetchPage };
}

describe('keyset lists', () => {
  it('sends next_cursor back as cursor, a page at a time, and collects the items', async () => {
    const { asked, fetchPage } = server();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
    const { result } = renderHook(() => useKeysetPages({ queryKey: ['numbers'], fetchPage }), { wrapper });
    await waitFor(() => expect(result.current.data?.items).toEqual([1, 2]));
    expect(result.current.hasNextPage).toBe(true);
    await act(() => result.current.fetchNextPage());
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data?.items).toEqual([1, 2, 3, 4, 5]));
    expect(result.current.hasNextPage).toBe(false);
    expect(asked).toEqual([{}, { cursor: 'c2' }, { cursor: 'c3' }]);
  });

  it('fetches every page at once when asked to', async () => {
    const { asked, fetchPage } = server();
    expect(await fetchAllPages(fetchPage)).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([{}, { cursor: 'c2' }, { cursor: 'c3' }]);
  });
});
