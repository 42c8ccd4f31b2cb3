import { describe, expect, it } from 'vitest';
// The committed spec, not the generated types: a new event type in the spec without a label fails here.
import specText from '../../../../openapi/openapi.json?raw';
import { catalogues } from './index';

const spec = JSON.parse(specText) as { components: { schemas: { EventType: { enum: string[] } } } };
const specTypes = spec.components.schemas.EventType.enum;

describe('webhook event type labels', () => {
  it('read the spec', () => {
    expect(specTypes).toContain('complaint.filed');
    expect(specTypes.length).toBeGreaterThanOrEqual(20);
  });

  it('label every event type of the spec in both languages', () => {
    const missing = specTypes.flatMap((type) =>
      Object.entries(catalogues)
        .filter(([, messages]) => !Object.prototype.hasOwnProperty.call(messages, `webhooks.event.${type}`))
        .map(([language]) => `${language}:${type}`),
    );
    expect(missing).toEqual([]);
  });

  it('label no event type the spec no longer has', () => {
    const labelled = Object.keys(catalogues.ru)
      .filter((key) => key.startsWith('webhooks.event.'))
      .map((key) => key.slice('webhooks.event.'.length));
    expect(labelled.sort()).toEqual([...specTypes].sort());
  });
});
