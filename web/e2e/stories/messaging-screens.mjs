// The screens of SMS and e-mail: a person's notification settings, the administrator's delivery log
// (recipients masked) and the message templates with a live preview.
import { apiResidentComplaint } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('notification settings: a resident switches an SMS off and it stays off; a company picks a digest', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.getByTestId('messaging-link').click();
  await waitForPath(page, '/profile/notifications');
  const grid = page.getByTestId('messaging-grid');
  await grid.waitFor();
  const closedSms = page.getByRole('checkbox', { name: 'Жалоба закрыта: SMS' });
  assert(await closedSms.isChecked(), 'everything offered is on by default');
  assert((await page.getByTestId('my-phone').textContent())?.startsWith('+7'), 'the person sees their own number');
  await checkA11y(page, 'resident: notification settings');
  await closedSms.uncheck();
  await page.getByTestId('messaging-save').click();
  await page.getByTestId('messaging-saved').waitFor();
  await page.reload();
  await grid.waitFor();
  assert(!(await page.getByRole('checkbox', { name: 'Жалоба закрыта: SMS' }).isChecked()), 'the choice is kept');
  assert(await page.getByRole('checkbox', { name: 'УК сообщила о выполнении: SMS' }).isChecked(), 'the others are untouched');
  await close();

  const company = await openPage(browser);
  await signIn(company.page, 'company2@demo.test');
  await waitForPath(company.page, '/company');
  await company.page.getByTestId('messaging-link').click();
  await company.page.getByTestId('messaging-grid').waitFor();
  assert((await company.page.getByRole('checkbox', { name: /SMS/ }).count()) === 0, 'staff are not offered SMS');
  await company.page.getByLabel('Сводка раз в несколько минут').check();
  await company.page.getByLabel(/Интервал сводки/).fill('2');
  await company.page.getByTestId('messaging-save').click();
  await company.page.locator('.field__error', { hasText: 'от 5 до 1440' }).waitFor();
  await company.page.getByLabel(/Интервал сводки/).fill('30');
  await company.page.getByTestId('messaging-save').click();
  await company.page.getByTestId('messaging-saved').waitFor();
  await checkA11y(company.page, 'company: notification settings with a digest');
  await company.close();
});

test('message delivery: the log masks recipients and filters; the daily table; templates with a preview', async ({ browser }) => {
  // Something to deliver: a complaint's news to its author by SMS and e-mail.
  await apiResidentComplaint('Ленина 11', 'gutters');
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('link', { name: 'Доставка сообщений', exact: true }).click();
  await waitForPath(page, '/admin/deliveries');
  await page.getByTestId('daily-table').waitFor();
  await page.getByTestId('delivery-table').waitFor();
  const recipients = await page.getByTestId('recipient').allTextContents();
  assert(recipients.length > 0, 'the log lists deliveries');
  for (const r of recipients) {
    // Masked, or gone with an erasure (the my-data story erases an account of its own).
    assert(/^\+7 \*\*\* \*\*\*-\d\d-\d\d$/.test(r) || /^.\*\*\*@.+$/.test(r) || r === 'удалён (152-ФЗ)', `a masked recipient: ${r}`);
  }
  await checkA11y(page, 'admin: message delivery');
  await page.getByLabel('Канал').selectOption('email');
  await page.waitForFunction(() => {
    const rows = Array.from(document.querySelectorAll('[data-testid="delivery-row"]'));
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-channel') === 'email');
  });

  await page.getByRole('link', { name: 'Шаблоны сообщений', exact: true }).click();
  await waitForPath(page, '/admin/message-templates');
  await page.getByTestId('template-table').waitFor();
  await page.locator('[data-testid="template-row"][data-key="closed.sms.ru"]').getByRole('button', { name: /Изменить/ }).click();
  const editor = page.getByTestId('template-editor');
  await editor.waitFor();
  const body = editor.getByLabel('Текст', { exact: true });
  await body.fill('Жалоба {number} закрыта. Спасибо, что сообщили!');
  await page.getByTestId('preview-count').filter({ hasText: 'SMS-сегментов: 1' }).waitFor();
  await body.fill('Жалоба {number} закрыта {descr}');
  await page.getByTestId('unknown-placeholders').waitFor();
  await page.getByTestId('template-save').click();
  await editor.locator('.field__error').waitFor();
  await body.fill('Жалоба {number} закрыта. Спасибо, что сообщили! Оцените работу управляющей компании на странице жалобы.');
  await page.getByTestId('preview-count').filter({ hasText: 'SMS-сегментов: 2' }).waitFor();
  await page.getByTestId('template-save').click();
  await page.getByTestId('template-saved').waitFor();
  await checkA11y(page, 'admin: message templates');
  await page.getByTestId('template-reset').click();
  await page.getByTestId('template-saved').filter({ hasText: 'по умолчанию' }).waitFor();
  assert((await body.inputValue()) === 'Жалоба {number} закрыта.', 'the default is back');
  await close();

  // The city department reads the log too.
  const dispatcher = await openPage(browser);
  await signIn(dispatcher.page, 'dispatcher@demo.test');
  await waitForPath(dispatcher.page, '/dispatcher');
  await dispatcher.page.getByRole('link', { name: 'Доставка сообщений', exact: true }).click();
  await waitForPath(dispatcher.page, '/dispatcher/deliveries');
  await dispatcher.page.getByTestId('daily-table').waitFor();
  await dispatcher.close();
});
