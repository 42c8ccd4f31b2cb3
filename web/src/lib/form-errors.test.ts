import { describe, expect, it } from 'vitest';
import { ApiProblem } from '@/lib/api/problem';
import { localiseFieldMessage, localiseReportError, serverFieldError, splitFieldError } from './form-errors';

describe('localiseFieldMessage', () => {
  it('translates the server’s common patterns in Russian', () => {
    expect(localiseFieldMessage('must be 5 to 4000 characters', 'ru')).toBe('Должно быть от 5 до 4000 символов');
    expect(localiseFieldMessage('must be -90 to 90', 'ru')).toBe('Укажите число от -90 до 90');
    expect(localiseFieldMessage('no such building', 'ru')).toBe('Такого дома нет в реестре');
    expect(localiseFieldMessage('must be 10 or 12 digits', 'ru')).toBe('ИНН — 10 или 12 цифр');
  });

  it('translates what the server says about a webhook URL and its event types', () => {
    expect(localiseFieldMessage('must point to a public address, not a private, loopback or link-local one', 'ru')).toBe(
      'Адрес должен быть публичным: внутренние, локальные и служебные сети запрещены',
    );
    expect(localiseFieldMessage('must use https', 'ru')).toBe('Нужен адрес https://');
    expect(localiseFieldMessage('must be an absolute http(s) URL', 'ru')).toBe('Укажите полный адрес, начинающийся с https://');
    expect(localiseFieldMessage('must name 1 to 50 event types', 'ru')).toBe('Отметьте от 1 до 50 событий');
  });

  it('keeps the server’s words in English and Russian text as it is', () => {
    expect(localiseFieldMessage('must be 5 to 4000 characters', 'en')).toBe('must be 5 to 4000 characters');
    expect(localiseFieldMessage('длина логина — не более 254 символов', 'ru')).toBe('длина логина — не более 254 символов');
  });

  it('falls back to a generic text with the original for the smaller line', () => {
    expect(splitFieldError(localiseFieldMessage('something odd happened', 'ru'))).toEqual(['Проверьте это поле', 'something odd happened']);
  });

  it('localises report lines and 422 problems', () => {
    expect(localiseReportError('latitude: must be -90 to 90')).toMatch(/^latitude: /);
    const problem = new ApiProblem({ status: 422, code: 'validation_failed', title: 'x', fieldErrors: { name: ['must not be empty'] } });
    expect(serverFieldError(problem, 'name')).toBeTruthy();
  });
});
