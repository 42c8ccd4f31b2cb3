// What the webhooks screens work out themselves: labels of event types, the state of a
// subscription in words, and the checks of the forms before a request.
import type { EventType } from '@/lib/api/types';
import { catalogues, type MessageKey } from '@/lib/i18n';
import { cityLocalToIso } from '@/lib/time';

/** The catalogue key of an event type's label; tsc fails when a type of the spec has no label. */
export function eventTypeKey(type: EventType): `webhooks.event.${EventType}` & MessageKey {
  return `webhooks.event.${type}`;
}

/** Whether the catalogues label this event type (the API's attempts name it as a plain string). */
export function isKnownEventType(name: string): name is EventType {
  return Object.prototype.hasOwnProperty.call(catalogues.ru, `webhooks.event.${name}`);
}

/** An event type in words; an unknown one (a newer server) as it is. */
export function eventTypeLabel(name: string, t: (key: MessageKey) => string): string {
  return isKnownEventType(name) ? t(eventTypeKey(name)) : name;
}

/** The two reasons the server gives for a switched-off endpoint, in words; others as they are. */
export function disabledReasonKey(reason: string | null | undefined): MessageKey | null {
  if (!reason) return null;
  if (reason.startsWith('switched off by its owner')) return 'webhooks.reason.owner';
  if (reason.startsWith('switched off after failing')) return 'webhooks.reason.failing';
  return null;
}

export const DEFAULT_GRACE_MINUTES = 1440;
export const MAX_GRACE_MINUTES = 10_080;

/** The grace period typed in the rotation form: a whole number 0–10080, or the default when empty; null when invalid. */
export function parseGraceMinutes(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return DEFAULT_GRACE_MINUTES;
  if (!/^\d+$/.test(trimmed)) return null;
  const minutes = Number(trimmed);
  return minutes <= MAX_GRACE_MINUTES ? minutes : null;
}

const MAX_RANGE_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * A replay range from two `datetime-local` values (city time): the request's body, or the key of
 * what is wrong with it (the same rules as the server's: both ends, `to` after `from`, ≤ 31 days).
 */
export function replayRange(fromLocal: string, toLocal: string): { from: string; to: string } | { error: MessageKey } {
  const from = fromLocal ? cityLocalToIso(fromLocal) : null;
  const to = toLocal ? cityLocalToIso(toLocal) : null;
  if (!from || !to) return { error: 'webhooks.replay.rangeRequired' };
  const span = Date.parse(to) - Date.parse(from);
  if (span <= 0) return { error: 'webhooks.replay.order' };
  if (span > MAX_RANGE_MS) return { error: 'webhooks.replay.tooLong' };
  return { from, to };
}

/** Ticks or unticks one event type, keeping the order of `all`. */
export function toggleEventType(selected: readonly EventType[], type: EventType, on: boolean, all: readonly EventType[]): EventType[] {
  const next = new Set(selected);
  if (on) next.add(type);
  else next.delete(type);
  return all.filter((t) => next.has(t));
}

/** The event types of a subscription in a table cell: every one when it has all of them, else up to `max` labels and how many more. */
export function summariseEventTypes(types: readonly string[], t: (key: MessageKey, params?: Record<string, string | number>) => string, max = 3): string {
  const labels = types.map((type) => eventTypeLabel(type, t));
  if (labels.length <= max) return labels.join(', ');
  return `${labels.slice(0, max).join(', ')} ${t('webhooks.andMore', { count: labels.length - max })}`;
}
