import { isApiProblem, NETWORK_ERROR } from '@/lib/api/problem';
import { catalogues, type I18n, type MessageKey } from '@/lib/i18n';

function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogues.ru, key);
}

/**
 * A message for the user: our own text for a problem code we know; otherwise the server's own
 * words (its `title` is Russian, its `detail` English), then a generic text by status.
 */
export function problemMessage(error: unknown, { t, language }: Pick<I18n, 't' | 'language'>): string {
  if (!isApiProblem(error)) return t('error.generic');
  const key = `error.${error.code}`;
  if (isMessageKey(key)) return t(key);
  if (error.code === NETWORK_ERROR || error.status === 0) return t('error.network_error');
  const serverText = language === 'ru' ? error.title : error.detail;
  if (serverText && error.status < 500) return serverText;
  if (error.status >= 500) return t('error.server');
  if (error.status === 401) return t('error.unauthorized');
  if (error.status === 403) return t('error.forbidden');
  if (error.status === 429) return t('error.too_many_requests');
  return t('error.generic');
}
