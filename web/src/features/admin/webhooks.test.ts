import { describe, expect, it } from 'vitest';
import type { EventType } from '@/lib/api/types';
import { translate } from '@/lib/i18n';
import { disabledReasonKey, eventTypeKey, eventTypeLabel, parseGraceMinutes, replayRange, summariseEventTypes, toggleEventType } from './webhooks';

describe('event type labels', () => {
  it('are the agreed Russian words', () => {
    const ru = (type: EventType) => translate('ru', eventTypeKey(type));
    expect(ru('complaint.filed')).toBe('Жалоба подана');
    expect(ru('complaint.routed')).toBe('Направлена в УК');
    expect(ru('complaint.accepted')).toBe('Принята в работу');
    expect(ru('complaint.done')).toBe('Выполнена');
    expect(ru('complaint.call_recorded')).toBe('Звонок заявителю');
    expect(ru('complaint.round_opened')).toBe('Повторный круг');
    expect(ru('complaint.closed')).toBe('Закрыта');
    expect(ru('complaint.overdue')).toBe('Просрочена');
  });

  it('show an unknown type as it is', () => {
    const t = (key: Parameters<typeof translate>[1]) => translate('en', key);
    expect(eventTypeLabel('complaint.closed', t)).toBe('Closed');
    expect(eventTypeLabel('complaint.teleported', t)).toBe('complaint.teleported');
  });
});

describe('disabledReasonKey', () => {
  it('knows the two reasons the server gives', () => {
    expect(disabledReasonKey('switched off by its owner')).toBe('webhooks.reason.owner');
    expect(disabledReasonKey('switched off after failing for a day without a success')).toBe('webhooks.reason.failing');
    expect(disabledReasonKey('something else')).toBeNull();
    expect(disabledReasonKey(null)).toBeNull();
  });
});

describe('parseGraceMinutes', () => {
  it('takes whole minutes 0 to 10080, a day when empty', () => {
    expect(parseGraceMinutes('')).toBe(1440);
    expect(parseGraceMinutes(' 0 ')).toBe(0);
    expect(parseGraceMinutes('10080')).toBe(10080);
    expect(parseGraceMinutes('10081')).toBeNull();
    expect(parseGraceMinutes('-5')).toBeNull();
    expect(parseGraceMinutes('1.5')).toBeNull();
    expect(parseGraceMinutes('abc')).toBeNull();
  });
});

describe('replayRange', () => {
  it('turns city time into instants', () => {
    // Surgut is UTC+5.
    expect(replayRange('2026-12-01T00:00', '2026-12-02T05:30')).toEqual({ from: '2026-11-30T19:00:00.000Z', to: '2026-12-02T00:30:00.000Z' });
  });

  it('refuses a missing end, an inverted range and more than 31 days', () => {
    expect(replayRange('', '2026-12-02T00:00')).toEqual({ error: 'webhooks.replay.rangeRequired' });
    expect(replayRange('2026-12-02T00:00', '2026-12-02T00:00')).toEqual({ error: 'webhooks.replay.order' });
    expect(replayRange('2026-12-01T00:00', '2027-01-01T00:01')).toEqual({ error: 'webhooks.replay.tooLong' });
    expect('from' in replayRange('2026-12-01T00:00', '2027-01-01T00:00')).toBe(true);
  });
});

describe('toggleEventType', () => {
  it('keeps the order of the full list', () => {
    const all: EventType[] = ['complaint.filed', 'complaint.routed', 'complaint.closed'];
    expect(toggleEventType(['complaint.closed'], 'complaint.filed', true, all)).toEqual(['complaint.filed', 'complaint.closed']);
    expect(toggleEventType(['complaint.filed', 'complaint.closed'], 'complaint.filed', false, all)).toEqual(['complaint.closed']);
  });
});

describe('summariseEventTypes', () => {
  it('lists up to three labels, then how many more', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('ru', key, params);
    expect(summariseEventTypes(['complaint.filed', 'complaint.closed'], t)).toBe('Жалоба подана, Закрыта');
    expect(summariseEventTypes(['complaint.filed', 'complaint.routed', 'complaint.accepted', 'complaint.done', 'complaint.closed'], t)).toBe(
      'Жалоба подана, Направлена в УК, Принята в работу и ещё 2',
    );
  });
});
