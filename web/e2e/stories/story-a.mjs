// The story across roles, in the browser, against the real binary: filed, done, an unhappy call,
// a second urgent round, closed.
import { categoryId } from '../lib/api.mjs';
import { assert, assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { row, signIn, waitForPath, waitStatus } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { story } from '../lib/state.mjs';
import { test } from '../lib/tests.mjs';

test('story a1: the resident files a complaint through the form', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.getByTestId('new-complaint').click();
  await waitForPath(page, '/resident/new');
  await checkA11y(page, 'resident: new complaint form');
  const address = page.getByRole('combobox', { name: 'Адрес дома' });
  await address.fill('Ленина 1');
  await page.getByRole('listbox').getByRole('option').first().waitFor();
  await checkA11y(page, 'resident: address picker open');
  await page.keyboard.press('ArrowDown');
  const active = await address.getAttribute('aria-activedescendant');
  assert(active, 'the combobox points at the highlighted option');
  await page.keyboard.press('Enter');
  const chosen = await page.getByTestId('address-chosen').textContent();
  assert(chosen?.includes('проспект Ленина, д. 1 '), `chosen address: ${JSON.stringify(chosen)}`);
  await page.getByLabel('Квартира').fill('12');
  await page.getByLabel('Что случилось').selectOption(await categoryId('roof_leak'));
  const hint = await page.getByText('Срок устранения: 1 календарный день.').count();
  assert(hint === 1, 'the deadline of the category is shown in words');
  await page.getByLabel('Описание проблемы').fill('Протекает кровля над 12-й квартирой, вода на потолке.');
  await page.getByRole('button', { name: 'Подать жалобу', exact: true }).click();
  await page.getByTestId('created-notice').waitFor();
  await waitStatus(page, 'registered');
  const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  const number = /СУР-\d{4}-\d{6}/.exec(heading)?.[0];
  assert(number, `complaint number in ${JSON.stringify(heading)}`);
  story.number = number;
  story.id = new URL(page.url()).pathname.split('/').pop() ?? '';
  await checkA11y(page, 'resident: complaint page (new)');
  await page.getByRole('link', { name: 'Мои жалобы' }).first().click();
  await row(page, number).waitFor();
  await checkA11y(page, 'resident: my complaints');
  await screenshot(page, 'main-resident');
  await close();
});

test('story a2: the company accepts the complaint and reports it done', async ({ browser }) => {
  assert(story.id, 'the complaint of a1 exists');
  const { page, close } = await openPage(browser);
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  await row(page, story.number).waitFor();
  const due = await row(page, story.number).getByTestId('due').textContent();
  assert(due?.includes('осталось'), `the deadline counts down: ${JSON.stringify(due)}`);
  await checkA11y(page, 'company: queue');
  await screenshot(page, 'main-company');
  await row(page, story.number).getByRole('link', { name: story.number }).click();
  await waitStatus(page, 'registered');
  await checkA11y(page, 'company: complaint page');
  await page.getByRole('button', { name: 'Принять в работу' }).click();
  await waitStatus(page, 'in_progress');
  await page.getByLabel('Исполнитель (ФИО или бригада)').fill('Бригада кровельщиков № 2');
  await page.getByRole('button', { name: 'Назначить', exact: true }).click();
  await page.getByText('Исполнитель: Бригада кровельщиков № 2').waitFor();
  await page.getByLabel('Что сделано').fill('Заменили участок кровельного покрытия.');
  await page.getByRole('button', { name: 'Сообщить о выполнении' }).click();
  await waitStatus(page, 'awaiting_verification');
  await close();
});

test('story a3: the dispatcher calls, reveals the phone, records «unsatisfied»: a second, urgent round', async ({ browser }) => {
  assert(story.id, 'the complaint of a1 exists');
  const { page, close } = await openPage(browser);
  await signIn(page, 'dispatcher@demo.test');
  await waitForPath(page, '/dispatcher');
  await row(page, story.number).waitFor();
  await page.getByRole('searchbox', { name: 'Поиск' }).fill(story.number);
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === story.number);
  await row(page, story.number).waitFor();
  assert((await page.getByTestId('complaint-row').count()) === 1, 'the search finds just this complaint');
  await page.getByRole('button', { name: 'Сбросить фильтры' }).click();
  await checkA11y(page, 'dispatcher: control board');
  await screenshot(page, 'main-dispatcher');

  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Обзвон' }).click();
  await waitForPath(page, '/dispatcher/verification');
  const item = row(page, story.number);
  await item.waitFor();
  const masked = await item.getByTestId('applicant-phone').textContent();
  assert(masked?.includes('*'), `the phone is masked at first: ${JSON.stringify(masked)}`);
  await item.getByTestId('reveal-phone').click();
  await item.getByText('+79220000001').waitFor();
  await item.getByText('Сценарий звонка').click();
  await checkA11y(page, 'dispatcher: verification queue');
  await screenshot(page, 'dispatcher-verification');
  await item.getByTestId('outcome-unsatisfied').click();
  await item.waitFor({ state: 'detached' });

  await page.goto(`${BASE_URL}/complaints/${story.id}`);
  await waitStatus(page, 'in_progress');
  assertEqual(await page.getByTestId('round-badge').textContent(), 'Повторно: 2-й круг', 'round badge');
  assertEqual(await page.getByTestId('urgent-badge').textContent(), 'Срочно', 'urgent badge');
  assertEqual(await page.getByTestId('complaint-round').textContent(), '2-й', 'round');
  await page.getByTestId('timeline').getByText('Итог звонка: Сделано плохо').waitFor();
  await checkA11y(page, 'dispatcher: complaint page, round 2');
  await close();
});

test('story a4: the company reports the second round done; the resident is satisfied: closed', async ({ browser }) => {
  assert(story.id, 'the complaint of a1 exists');
  const company = await openPage(browser);
  await signIn(company.page, 'company@demo.test');
  await waitForPath(company.page, '/company');
  await row(company.page, story.number).getByTestId('round-badge').waitFor();
  await company.page.goto(`${BASE_URL}/complaints/${story.id}`);
  await waitStatus(company.page, 'in_progress');
  await company.page.getByLabel('Что сделано').fill('Повторно перекрыли кровлю, протечки нет.');
  await company.page.getByRole('button', { name: 'Сообщить о выполнении' }).click();
  await waitStatus(company.page, 'awaiting_verification');
  await company.close();

  const { page, close } = await openPage(browser);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await row(page, story.number).getByRole('link', { name: story.number }).click();
  await waitStatus(page, 'awaiting_verification');
  await checkA11y(page, 'resident: answer the verification');
  await page.getByLabel('Комментарий (необязательно)').fill('Теперь сухо, спасибо.');
  await page.getByRole('button', { name: 'Да, я доволен' }).click();
  await waitStatus(page, 'closed');
  // The history reloads after the answer; every step of the story is in it.
  for (const step of ['Жалоба зарегистрирована', 'Принята в работу', 'УК сообщила о выполнении', 'Контрольный звонок', 'Ответ жителя']) {
    await page.getByTestId('timeline').getByText(step, { exact: true }).first().waitFor();
  }
  await page.getByTestId('timeline').getByText('Житель доволен результатом').waitFor();
  assert((await page.getByTestId('action-panel').count()) === 0, 'a closed complaint offers no actions');
  await checkA11y(page, 'resident: closed complaint');
  await screenshot(page, 'complaint-closed');
  await close();
});
