import { describe, expect, it } from 'vitest';
import type { Choice } from '@/lib/api/types';
import { parseDigest, placeholdersOf, toGrid, toggle, turnsSmsOn, unknownPlaceholders, withSmsOn } from './grid';

const resident: Choice[] = [
  { kind: 'routed', channel: 'in_app', enabled: true },
  { kind: 'routed', channel: 'sms', enabled: false },
  { kind: 'routed', channel: 'email', enabled: true },
  { kind: 'done', channel: 'in_app', enabled: true },
  { kind: 'done', channel: 'sms', enabled: true },
];
const company: Choice[] = [
  { kind: 'new_for_company', channel: 'in_app', enabled: true },
  { kind: 'new_for_company', channel: 'email', enabled: true },
  { kind: 'overdue_digest', channel: 'email', enabled: false },
];

describe('toGrid', () => {
  it('keeps the server order of kinds and marks the cells not offered', () => {
    const grid = toGrid(resident);
    expect(grid.columns).toEqual(['in_app', 'sms', 'email']);
    expect(grid.rows).toEqual([
      { kind: 'routed', cells: [true, false, true] },
      { kind: 'done', cells: [true, true, null] },
    ]);
  });

  it('shows only the channels some choice uses', () => {
    const grid = toGrid(company);
    expect(grid.columns).toEqual(['in_app', 'email']);
    expect(grid.rows[1]).toEqual({ kind: 'overdue_digest', cells: [null, false] });
  });

  it('is empty for a role with nothing to choose', () => {
    expect(toGrid([])).toEqual({ columns: [], rows: [] });
  });
});

describe('toggling and SMS', () => {
  it('switches one choice and leaves the rest', () => {
    const next = toggle(resident, 'routed', 'sms', true);
    expect(next[1]).toEqual({ kind: 'routed', channel: 'sms', enabled: true });
    expect(next.filter((c, i) => c !== resident[i])).toHaveLength(1);
    expect(toggle(resident, 'closed', 'sms', true)).toEqual(resident);
  });

  it('knows when saving lifts a STOP', () => {
    expect(turnsSmsOn(resident)).toBe(true);
    expect(turnsSmsOn(toggle(resident, 'done', 'sms', false))).toBe(false);
    expect(turnsSmsOn(company)).toBe(false);
    expect(withSmsOn(toggle(resident, 'done', 'sms', false)).filter((c) => c.channel === 'sms').every((c) => c.enabled)).toBe(true);
  });
});

describe('parseDigest', () => {
  it('takes whole minutes within the bounds', () => {
    expect(parseDigest('each', 'x', 5, 1440)).toBeNull();
    expect(parseDigest('digest', '30', 5, 1440)).toBe(30);
    expect(parseDigest('digest', ' 5 ', 5, 1440)).toBe(5);
    for (const bad of ['4', '1441', '', '2.5', '-10', 'abc']) expect(parseDigest('digest', bad, 5, 1440)).toBe('invalid');
  });
});

describe('placeholders', () => {
  it('lists each placeholder once and flags the unknown ones', () => {
    expect(placeholdersOf('{number} and { number } then {pin}')).toEqual(['number', 'pin']);
    expect(unknownPlaceholders('{number} {descr} {pin}', ['number', 'status'])).toEqual(['descr', 'pin']);
    expect(unknownPlaceholders('no braces', [])).toEqual([]);
  });
});
