// The checkbox grid of the notification settings: rows are kinds of message, columns channels, and
// a cell exists only where the server offers that choice to the person's role.
import type { Channel, Choice, MessageKind } from '@/lib/api/types';

export const CHANNELS: readonly Channel[] = ['in_app', 'sms', 'email'];

export interface GridRow {
  kind: MessageKind;
  /** One cell per channel of `columns`: `null` where the choice is not offered. */
  cells: (boolean | null)[];
}

export interface Grid {
  /** The channels that appear in at least one offered choice, in a fixed order. */
  columns: Channel[];
  rows: GridRow[];
}

/** The grid of `choices`, kinds in the server's order (the screen order it chose). */
export function toGrid(choices: readonly Choice[]): Grid {
  const columns = CHANNELS.filter((channel) => choices.some((c) => c.channel === channel));
  const kinds: MessageKind[] = [];
  for (const c of choices) if (!kinds.includes(c.kind)) kinds.push(c.kind);
  const rows = kinds.map((kind) => ({
    kind,
    cells: columns.map((channel) => choices.find((c) => c.kind === kind && c.channel === channel)?.enabled ?? null),
  }));
  return { columns, rows };
}

/** `choices` with one choice switched to `enabled`; choices not offered are left alone. */
export function toggle(choices: readonly Choice[], kind: MessageKind, channel: Channel, enabled: boolean): Choice[] {
  return choices.map((c) => (c.kind === kind && c.channel === channel ? { ...c, enabled } : c));
}

/** Whether the person switches some SMS on: saving then lifts a "STOP" of their number. */
export function turnsSmsOn(choices: readonly Choice[]): boolean {
  return choices.some((c) => c.channel === 'sms' && c.enabled);
}

/** The choices with every SMS switched on: what "Resume SMS" saves. */
export function withSmsOn(choices: readonly Choice[]): Choice[] {
  return choices.map((c) => (c.channel === 'sms' ? { ...c, enabled: true } : c));
}

/** The digest field: `null` (an e-mail per complaint) or whole minutes within the bounds. */
export function parseDigest(mode: 'each' | 'digest', minutes: string, min: number, max: number): number | null | 'invalid' {
  if (mode === 'each') return null;
  if (!/^\d+$/.test(minutes.trim())) return 'invalid';
  const value = Number.parseInt(minutes, 10);
  return value >= min && value <= max ? value : 'invalid';
}

/** The `{placeholders}` of a template's text, in order, each once. */
export function placeholdersOf(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = (match[1] ?? '').trim();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The placeholders of `text` not among `fields`: the editor warns before the server refuses. */
export function unknownPlaceholders(text: string, fields: readonly string[]): string[] {
  return placeholdersOf(text).filter((name) => !fields.includes(name));
}
