import { act, fireEvent, renderHook, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ru } from '@/lib/i18n/ru';
import { renderWithProviders } from '@/testing/render';
import { LiveMarker } from '../components/LiveMarker';
import { countChanged, LIVE_POLL_MS, useLivePoll, type LiveRead } from './useLivePoll';

type Row = { id: string; version: number };

function answer(status: number, data?: Row[], etag?: string) {
  return { data, response: new Response(status === 304 ? null : '[]', { status, headers: etag ? { ETag: etag } : {} }) };
}

describe('useLivePoll', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks again with If-None-Match, keeps the last page on a 304 and takes a changed one', async () => {
    const sent: Record<string, string>[] = [];
    const answers = [
      answer(200, [{ id: 'a', version: 1 }], 'W/"one"'),
      answer(304, undefined, 'W/"one"'),
      answer(200, [{ id: 'b', version: 1 }, { id: 'a', version: 2 }], 'W/"two"'),
    ];
    const read: LiveRead<Row[]> = (headers) => {
      sent.push(headers);
      return Promise.resolve(answers.shift() ?? answer(304));
    };
    const { result } = renderHook(() => useLivePoll('q', read, true));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(sent[0]).toEqual({});
    expect(result.current).toEqual([{ id: 'a', version: 1 }]);

    await act(() => vi.advanceTimersByTimeAsync(LIVE_POLL_MS));
    expect(sent[1]).toEqual({ 'If-None-Match': 'W/"one"' });
    expect(result.current).toEqual([{ id: 'a', version: 1 }]);

    await act(() => vi.advanceTimersByTimeAsync(LIVE_POLL_MS));
    expect(result.current).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(LIVE_POLL_MS));
    expect(sent[3]).toEqual({ 'If-None-Match': 'W/"two"' });
  });

  it('does not ask while switched off', async () => {
    const read = vi.fn<LiveRead<Row[]>>();
    const { result } = renderHook(() => useLivePoll('q', read, false));
    await act(() => vi.advanceTimersByTimeAsync(LIVE_POLL_MS * 3));
    expect(read).not.toHaveBeenCalled();
    expect(result.current).toBeUndefined();
  });
});

describe('countChanged', () => {
  const id = (r: Row) => r.id;
  const state = (r: Row) => String(r.version);
  it('counts rows that are new or changed, not the ones shown as they are', () => {
    const shown = [{ id: 'a', version: 1 }, { id: 'c', version: 4 }];
    const fresh = [{ id: 'b', version: 1 }, { id: 'a', version: 2 }, { id: 'c', version: 4 }];
    expect(countChanged(fresh, shown, id, state)).toBe(2);
    expect(countChanged(shown, shown, id, state)).toBe(0);
    expect(countChanged(undefined, shown, id, state)).toBe(0);
  });
});

describe('LiveMarker', () => {
  it('says how many are new and shows them only when pressed', () => {
    const onShow = vi.fn();
    renderWithProviders(<LiveMarker changes={3} onShow={onShow} />);
    const button = screen.getByTestId('live-new');
    expect(button.textContent).toBe(ru['live.newItems'].replace('{n}', '3'));
    expect(onShow).not.toHaveBeenCalled();
    fireEvent.click(button);
    expect(onShow).toHaveBeenCalledOnce();
  });

  it('is a quiet, empty status region while nothing changed', () => {
    renderWithProviders(<LiveMarker changes={0} onShow={() => undefined} />);
    expect(screen.queryByTestId('live-new')).toBeNull();
    expect(screen.getByRole('status', { name: ru['live.newItemsLabel'] })).toBeTruthy();
  });
});

