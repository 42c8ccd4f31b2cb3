import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogues, translate } from './index';
import { ru } from './ru';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('ru and en have identical key sets', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  it('defines each key in one partial catalogue only (a later spread would silently win)', () => {
    for (const language of ['ru', 'en']) {
      const partials = import.meta.glob<Record<string, Record<string, string>>>('./*.*.ts', { eager: true });
      const owner = new Map<string, string>();
      for (const [file, module] of Object.entries(partials)) {
        if (!file.startsWith(`./${language}.`) || file.endsWith('.test.ts')) continue;
        for (const messages of Object.values(module)) {
          for (const key of Object.keys(messages)) {
            expect(owner.get(key), `${key} in ${file}`).toBeUndefined();
            owner.set(key, file);
          }
        }
      }
      expect(owner.size).toBeGreaterThan(100);
    }
  });

  it('has no empty messages', () => {
    for (const [language, messages] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${language}:${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ru[key]));
    }
  });

  it('carries the pilot banner text in both languages', () => {
    expect(ru['pilot.banner']).toBe('Сервис работает в тестовом режиме');
    expect(en['pilot.banner']).toBe('The service is running in test mode');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translate('ru', 'footer.city', { city: 'Сургут' })).toBe('Город: Сургут');
    expect(translate('en', 'footer.city', {})).toBe('City: {city}');
  });
});

describe('components', () => {
  it('hold no hard-coded Russian text (it belongs in the catalogues)', () => {
    const sources = import.meta.glob<string>(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}', '!/src/lib/i18n/*', '!/src/testing/*', '!/src/api/*'], {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    const offenders = Object.entries(sources)
      .filter(([, text]) => /[\u0400-\u04FF]/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
