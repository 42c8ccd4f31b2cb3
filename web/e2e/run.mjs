// End-to-end test of the SPA shell against the real `dispatch` binary, in Debian's Chromium.
//
//   E2E_BASE_URL=http://127.0.0.1:18080 npm run e2e
//
// The binary must run in demo mode (APP_DEMO=true) so that the demo users exist. Screenshots go
// to e2e/screenshots/. Exits non-zero on any failure; the last line is "N passed, M failed".
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'demo2026';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const TIMEOUT_MS = 15_000;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Violations found by axe-core on each page checked, in order. @type {[string, number][]} */
const a11yReport = [];

/** The demo users and what the role page must call their role, in both languages. */
const ROLES = [
  { role: 'resident', login: 'resident@demo.test', ru: 'Житель', en: 'Resident', heading: 'Мои жалобы', headingEn: 'My complaints' },
  { role: 'clerk', login: 'clerk@demo.test', ru: 'Специалист ТОС', en: 'Neighbourhood office (TOS) clerk', heading: 'Приём жалобы', headingEn: 'Take a complaint' },
  { role: 'company', login: 'company@demo.test', ru: 'Сотрудник управляющей компании', en: 'Management company staff', heading: 'Очередь жалоб', headingEn: 'Complaint queue' },
  { role: 'dispatcher', login: 'dispatcher@demo.test', ru: 'Специалист ДГХ', en: 'City housing department specialist', heading: 'Контрольная доска', headingEn: 'Control board' },
  { role: 'inspector', login: 'inspector@demo.test', ru: 'Инспектор жилищного контроля', en: 'Housing inspector', heading: 'Жилищный контроль', headingEn: 'Housing inspection' },
  { role: 'admin', login: 'admin@demo.test', ru: 'Администратор', en: 'Administrator', heading: 'Пользователи', headingEn: 'Users' },
];

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Browser} Browser */

class AssertionError extends Error {}

/** @param {unknown} condition @param {string} message @returns {asserts condition} */
function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** @param {string | null} actual @param {string} expected @param {string} what */
function assertEqual(actual, expected, what) {
  assert(actual?.trim() === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/**
 * Calls the API directly (not through the browser), to learn what the pages should show.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function apiJson(path, init) {
  const response = await fetch(`${BASE_URL}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
  });
  assert(response.ok, `${init?.method ?? 'GET'} ${path} answered ${response.status}`);
  return response.json();
}

/**
 * The demo user as the API describes them.
 * @param {string} login
 */
async function apiUser(login) {
  const body = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password: PASSWORD }) });
  return body.user;
}

/** @type {{ name: string; fn: (ctx: { browser: Browser; meta: any }) => Promise<void> }[]} */
const tests = [];
/** @param {string} name @param {(ctx: { browser: Browser; meta: any }) => Promise<void>} fn */
function test(name, fn) {
  tests.push({ name, fn });
}

/** Contexts the running test opened; a failed test leaves a screenshot of each. */
/** @type {{ page: Page; context: import('playwright-core').BrowserContext }[]} */
let openContexts = [];

/**
 * Opens a fresh browser context (empty storage) and fails the test on any page error.
 * @param {Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [options]
 */
async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ru-RU', ...options });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  openContexts.push({ page, context });
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A 401 from a wrong password is logged by Chromium as a failed resource; that is expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  return {
    page,
    async close() {
      openContexts = openContexts.filter((open) => open.context !== context);
      await context.close();
      assert(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
    },
  };
}

/** @param {Page} page @param {string} name */
async function screenshot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA) and fails on any violation.
 * @param {Page} page @param {string} name
 */
async function checkA11y(page, name) {
  if ((await page.evaluate(() => typeof (/** @type {any} */ (globalThis).axe))) === 'undefined') {
    await page.addScriptTag({ path: AXE_PATH });
  }
  /** @type {{ id: string; impact: string; help: string; nodes: { target: string[] }[] }[]} */
  const violations = await page.evaluate(async (tags) => {
    const result = await /** @type {any} */ (globalThis).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
    }));
  }, AXE_TAGS);
  a11yReport.push([name, violations.length]);
  assert(
    violations.length === 0,
    `axe found ${violations.length} violation(s) on ${name}: ${violations
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
      .join(' | ')}`,
  );
}

/** @param {Page} page @param {string} login @param {string} password */
async function signIn(page, login, password = PASSWORD) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('Логин', { exact: true }).fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

/** @param {Page} page @param {string} path */
async function waitForPath(page, path) {
  await page.waitForURL((url) => url.pathname === path);
}

/**
 * The role's main screen: its heading, and the header naming the user and their role.
 * @param {Page} page @param {any} user @param {{ roleName: string; heading: string }} expected
 */
async function checkRolePage(page, user, expected) {
  await page.getByRole('heading', { level: 1, name: expected.heading }).waitFor();
  const header = await page.getByTestId('current-user').textContent();
  assert(header?.includes(user.name) && header.includes(expected.roleName), `header shows ${JSON.stringify(header)}`);
}

/** @param {Page} page @param {any} meta @param {string} text */
async function checkPilotBanner(page, meta, text) {
  const banner = page.getByTestId('pilot-banner');
  if (meta.pilot_mode) {
    await banner.waitFor();
    const shown = await banner.textContent();
    assert(shown?.includes(text), `pilot banner says ${JSON.stringify(shown)}, expected ${JSON.stringify(text)}`);
  } else {
    assert((await banner.count()) === 0, 'a pilot banner is shown outside pilot mode');
  }
}

test('home page: Russian by default, pilot banner, sign-in and API docs links', async ({ browser, meta }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/`);
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  assert(heading?.includes('Жалобы на управляющую компанию'), `home heading is ${JSON.stringify(heading)}`);
  assertEqual(await page.locator('html').getAttribute('lang'), 'ru', 'html lang');
  await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
  await page.getByText(`Город: ${meta.city}`).waitFor();
  const docsHref = await page.getByRole('link', { name: 'Документация API' }).first().getAttribute('href');
  const docs = await fetch(new URL(docsHref ?? '', `${BASE_URL}/`));
  assert(docs.ok, `the API docs link ${docsHref} answered ${docs.status}`);
  await checkA11y(page, 'public: home');
  await screenshot(page, 'home-ru');
  await page.getByRole('link', { name: 'Войти в систему' }).click();
  await waitForPath(page, '/login');
  await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();
  await checkA11y(page, 'public: sign-in');
  await close();
});

test('dispatcher: signs in through the form, sees the role page in Russian, then English, signs out', async ({
  browser,
  meta,
}) => {
  const expected = ROLES.find((r) => r.role === 'dispatcher');
  assert(expected, 'dispatcher is a demo role');
  const user = await apiUser(expected.login);
  const { page, close } = await openPage(browser);

  await page.goto(`${BASE_URL}/`);
  await page.getByRole('link', { name: 'Войти в систему' }).click();
  await waitForPath(page, '/login');
  await page.getByLabel('Логин', { exact: true }).fill(expected.login);
  await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await waitForPath(page, '/dispatcher');
  await checkRolePage(page, user, { roleName: expected.ru, heading: expected.heading });
  await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
  await screenshot(page, 'dispatcher-ru');

  await page.getByRole('button', { name: 'English' }).click();
  await checkRolePage(page, user, { roleName: expected.en, heading: expected.headingEn });
  await page.getByRole('link', { name: 'Verification calls' }).first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await checkA11y(page, 'dispatcher board (en)');
  await checkPilotBanner(page, meta, 'The service is running in test mode');
  assertEqual(await page.locator('html').getAttribute('lang'), 'en', 'html lang after switching');
  await screenshot(page, 'dispatcher-en');

  // Both the session and the language survive a reload.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: expected.headingEn }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await waitForPath(page, '/login');
  await page.getByText('You have signed out.').waitFor();
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();

  // The token is gone: the role page sends us back to the sign-in form.
  await page.goto(`${BASE_URL}/dispatcher`);
  await waitForPath(page, '/login');
  await page.getByText('Чтобы открыть эту страницу, войдите в систему.').waitFor();
  await close();
});

test('wrong password: the server’s problem is shown at the form', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'dispatcher@demo.test', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.textContent();
  assert(text?.includes('Неверный логин или пароль.'), `the alert says ${JSON.stringify(text)}`);
  assert(new URL(page.url()).pathname === '/login', 'stayed on the sign-in page');
  await screenshot(page, 'login-error');
  await close();
});

test('keyboard only: the login field has focus, Tab and Enter sign in', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/login`);
  const focused = await page.getByLabel('Логин', { exact: true }).evaluate((el) => el === document.activeElement);
  assert(focused, 'the login field has focus when the page opens');
  await page.keyboard.type('resident@demo.test');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await waitForPath(page, '/resident');
  const who = await page.getByTestId('current-user').textContent();
  assert(who?.includes('Иванова Мария Петровна'), `the header shows ${JSON.stringify(who)}`);
  await close();
});

for (const expected of ROLES) {
  test(`${expected.role}: signs in and sees their own role page`, async ({ browser, meta }) => {
    const user = await apiUser(expected.login);
    assertEqual(user.role, expected.role, `role of ${expected.login} in the API`);
    const { page, close } = await openPage(browser);
    await signIn(page, expected.login);
    await waitForPath(page, `/${expected.role}`);
    await checkRolePage(page, user, { roleName: expected.ru, heading: expected.heading });
    await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
    await checkA11y(page, `main screen: ${expected.role}`);
    await screenshot(page, `role-${expected.role}`);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await waitForPath(page, '/login');
    await page.getByText('Вы вышли из системы.').waitFor();
    await close();
  });
}

test('role gate: a resident who opens /admin is pointed to their own page', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/admin`);
  await page.getByRole('heading', { level: 1, name: 'Эта страница для другой роли' }).waitFor();
  await page.getByRole('link', { name: 'Перейти на свою страницу' }).click();
  await waitForPath(page, '/resident');
  await close();
});

test('unknown route: a not-found page', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  const response = await page.goto(`${BASE_URL}/no/such/page`);
  assert(response?.ok(), `the SPA fallback answered ${response?.status()}`);
  await page.getByRole('heading', { level: 1, name: 'Страница не найдена' }).waitFor();
  await checkA11y(page, 'public: not found');
  await screenshot(page, 'not-found');
  await close();
});

test('375 px phone: home, sign-in and role page fit the screen', async ({ browser }) => {
  const { page, close } = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  /** @param {string} what */
  const fits = async (what) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `${what} is ${width}px wide on a 375px screen`);
  };
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await fits('the home page');
  await screenshot(page, 'mobile-home');
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  await page.getByRole('heading', { level: 1, name: 'Очередь жалоб' }).waitFor();
  await fits('the role page');
  await screenshot(page, 'mobile-company');
  await close();
});

// ---------------------------------------------------------------------------------------------
// The story across roles, in the browser, against the real binary.

/** @param {string} login */
async function apiToken(login) {
  const body = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password: PASSWORD }) });
  return /** @type {string} */ (body.access_token);
}

/** @param {string} token @param {string} path @param {RequestInit} [init] */
function apiAs(token, path, init = {}) {
  return apiJson(path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

/** Applies one transition through the API, with the complaint's current version. @param {string} token @param {string} id @param {object} body */
async function apiTransition(token, id, body) {
  const current = await apiAs(token, `/api/v1/complaints/${id}`);
  return apiAs(token, `/api/v1/complaints/${id}/transitions`, {
    method: 'POST',
    headers: { 'If-Match': `"${current.version}"` },
    body: JSON.stringify(body),
  });
}

/** @param {string} code */
async function categoryId(code) {
  const categories = await apiJson('/api/v1/categories');
  const found = categories.find((/** @type {any} */ c) => c.code === code);
  assert(found, `no category ${code}`);
  return /** @type {string} */ (found.id);
}

/** @param {string} q */
async function buildingId(q) {
  const buildings = await apiJson(`/api/v1/buildings?q=${encodeURIComponent(q)}&limit=1`);
  assert(buildings[0], `no building for ${q}`);
  return /** @type {string} */ (buildings[0].id);
}

/** A complaint filed by the demo resident through the API (for the parts of the story that start later). */
async function apiResidentComplaint(address = 'Ленина 11', category = 'gutters') {
  const token = await apiToken('resident@demo.test');
  const created = await apiAs(token, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      building_id: await buildingId(address),
      category_id: await categoryId(category),
      description: 'Водосток оторван, вода льётся на крыльцо.',
    }),
  });
  return /** @type {{ id: string; number: string }} */ (created.complaint);
}

/** @param {Page} page @param {string} status */
async function waitStatus(page, status) {
  await page.locator(`[data-testid="complaint-page"][data-status="${status}"]`).waitFor();
}

/** @param {Page} page @param {string} number */
function row(page, number) {
  return page.locator(`[data-testid="complaint-row"][data-number="${number}"]`);
}

/** What the resident filed in the first part of the story. @type {{ id: string; number: string }} */
const story = { id: '', number: '' };

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

test('story b: not done → inspection → order → not complied with → fine', async ({ browser }) => {
  const complaint = await apiResidentComplaint();
  const companyToken = await apiToken('company@demo.test');
  await apiTransition(companyToken, complaint.id, { type: 'accept' });
  await apiTransition(companyToken, complaint.id, { type: 'report_done', note: 'Водосток закреплён.' });

  const dispatcher = await openPage(browser);
  await signIn(dispatcher.page, 'dispatcher@demo.test');
  await waitForPath(dispatcher.page, '/dispatcher');
  await dispatcher.page.goto(`${BASE_URL}/dispatcher/verification`);
  const item = row(dispatcher.page, complaint.number);
  await item.getByTestId('outcome-not_done').click();
  await item.waitFor({ state: 'detached' });
  await dispatcher.close();

  const { page, close } = await openPage(browser);
  await signIn(page, 'inspector@demo.test');
  await waitForPath(page, '/inspector');
  await row(page, complaint.number).waitFor();
  await checkA11y(page, 'inspector: queue');
  await screenshot(page, 'main-inspector');
  await row(page, complaint.number).getByRole('link', { name: complaint.number }).click();
  await waitStatus(page, 'under_inspection');
  await checkA11y(page, 'inspector: complaint under inspection');
  await page.getByLabel('Что установлено на месте').fill('Водосток не закреплён, вода течёт на крыльцо.');
  await page.getByRole('button', { name: 'Записать результаты' }).click();
  await page.getByTestId('timeline').getByText('Нарушение выявлено').waitFor();

  // Due a few seconds ahead, typed as Surgut time (UTC+5) into the datetime-local field.
  const dueAt = Date.now() + 8_000;
  const local = new Date(dueAt + 5 * 3600_000).toISOString().slice(0, 19);
  await page.getByTestId('order-due').fill(local);
  await page.getByLabel('Текст предписания').fill('Закрепить водосток над входом в подъезд.');
  await page.getByRole('button', { name: 'Выдать предписание' }).click();
  await waitStatus(page, 'in_progress');
  await page.getByTestId('order').waitFor();
  assertEqual(await page.getByTestId('complaint-round').textContent(), '2-й', 'the order starts a new round');
  await checkA11y(page, 'inspector: order issued');

  await page.waitForTimeout(Math.max(dueAt - Date.now() + 1_500, 0));
  await page.reload();
  await page.getByTestId('complied-no').click();
  await waitStatus(page, 'under_inspection');
  await page.getByText('Не исполнено в срок.').waitFor();
  await page.getByLabel('Сумма, ₽').fill('15000');
  assertEqual(await page.getByLabel('Основание').inputValue(), 'КоАП РФ ст. 19.5 ч. 1', 'the suggested legal basis');
  await page.getByRole('button', { name: 'Записать штраф' }).click();
  const fines = page.getByTestId('fines');
  await fines.waitFor();
  const text = (await fines.textContent())?.replace(/\s/g, ' ') ?? '';
  assert(/15.000.₽/.test(text) && text.includes('КоАП РФ ст. 19.5 ч. 1'), `the fine is shown: ${JSON.stringify(text)}`);
  await checkA11y(page, 'inspector: fine recorded');
  await screenshot(page, 'complaint-fine');
  await close();
});

test('story c: the clerk takes a complaint by keyboard, prints the receipt; /status finds it by number and PIN', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'clerk@demo.test');
  await waitForPath(page, '/clerk');
  const name = page.getByLabel('ФИО заявителя');
  await name.waitFor();
  assert(await name.evaluate((el) => el === document.activeElement), 'the intake form starts in the name field');
  await checkA11y(page, 'clerk: intake form');
  await screenshot(page, 'main-clerk');
  await page.keyboard.type('Петров Иван Сергеевич');
  await page.keyboard.press('Enter');
  await page.keyboard.type('+7 922 555-12-34');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Ленина 13');
  await page.getByRole('listbox').getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  const select = page.getByLabel('Что случилось');
  assert(await select.evaluate((el) => el === document.activeElement), 'Enter moved on to the category');
  await select.selectOption(await categoryId('no_heating'));
  await page.keyboard.press('Enter');
  await page.keyboard.type('Холодные батареи во всей квартире.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('Control+Enter');
  await page.waitForURL((url) => url.pathname.startsWith('/clerk/receipt/'));
  const number = (await page.getByTestId('receipt-number').textContent())?.trim() ?? '';
  const pin = (await page.getByTestId('receipt-pin').textContent())?.trim() ?? '';
  assert(/^СУР-\d{4}-\d{6}$/.test(number), `receipt number ${JSON.stringify(number)}`);
  assert(/^\d{6}$/.test(pin), `receipt PIN ${JSON.stringify(pin)}`);
  const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
  assert(receipt.includes('/status') && receipt.includes('Петров Иван Сергеевич'), 'the receipt says how to check the status');
  await checkA11y(page, 'clerk: receipt');
  await screenshot(page, 'receipt');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'receipt-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Принятые мной' }).click();
  await row(page, number).waitFor();
  await checkA11y(page, 'clerk: filed complaints');
  await close();

  const visitor = await openPage(browser);
  await visitor.page.goto(`${BASE_URL}/status`);
  await visitor.page.getByLabel('Номер жалобы').fill(number);
  await visitor.page.getByLabel('PIN-код').fill(pin === '000000' ? '111111' : '000000');
  await visitor.page.getByRole('button', { name: 'Узнать статус' }).click();
  await visitor.page.getByTestId('lookup-error').waitFor();
  await visitor.page.getByLabel('PIN-код').fill(pin);
  await visitor.page.getByRole('button', { name: 'Узнать статус' }).click();
  const result = visitor.page.getByTestId('status-result');
  await result.waitFor();
  const shown = (await result.textContent()) ?? '';
  assert(shown.includes(number) && shown.includes('Зарегистрирована') && shown.includes('Нет отопления'), `status: ${JSON.stringify(shown)}`);
  await checkA11y(visitor.page, 'public: status lookup');
  await screenshot(visitor.page, 'public-status');
  await visitor.close();
});

test('412: a complaint changed meanwhile asks for a reload', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 1', 'entrance_door');
  const { page, close } = await openPage(browser);
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  await page.goto(`${BASE_URL}/complaints/${complaint.id}`);
  await waitStatus(page, 'registered');
  await apiTransition(await apiToken('company@demo.test'), complaint.id, { type: 'pause_clock', reason: 'Нет доступа в подъезд' });
  await page.getByRole('button', { name: 'Принять в работу' }).click();
  const stale = page.getByTestId('stale-version');
  await stale.waitFor();
  assert((await stale.textContent())?.includes('Жалобу уже изменил кто-то другой — обновите страницу'), 'the 412 message');
  await checkA11y(page, 'company: 412 notice');
  await stale.getByRole('button', { name: 'Обновить' }).click();
  await page.getByRole('button', { name: 'Возобновить' }).waitFor();
  await page.getByRole('button', { name: 'Принять в работу' }).click();
  await waitStatus(page, 'in_progress');
  await close();
});

test('resident registration with consent, then the withdraw confirmation', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/register`);
  await checkA11y(page, 'public: registration');
  const phone = `+79${String(Date.now()).slice(-9)}`;
  await page.getByLabel('ФИО', { exact: true }).fill('Соколова Екатерина Андреевна');
  await page.getByLabel('Телефон', { exact: true }).fill(phone);
  await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.getByText('Без согласия на обработку персональных данных жалобу принять нельзя.').waitFor();
  await page.getByLabel('Я согласен на обработку персональных данных').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await waitForPath(page, '/resident');
  await page.getByText('Вы ещё не подавали жалоб.').waitFor();

  // Her first complaint, filed through the API, then withdrawn in the browser after a confirmation.
  const signedIn = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login: phone, password: 'correct horse battery' }) });
  const created = await apiAs(signedIn.access_token, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ building_id: await buildingId('Ленина 1'), category_id: await categoryId('broken_glass'), description: 'Разбито стекло на 3-м этаже.' }),
  });
  await page.goto(`${BASE_URL}/complaints/${created.complaint.id}`);
  await waitStatus(page, 'registered');
  await page.getByRole('button', { name: 'Отозвать…' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  assert(await dialog.evaluate((el) => el === document.activeElement), 'the confirmation takes focus');
  await checkA11y(page, 'resident: withdraw confirmation');
  await dialog.getByRole('button', { name: 'Нет, оставить' }).click();
  await page.getByRole('button', { name: 'Отозвать…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Да, отозвать' }).click();
  await waitStatus(page, 'withdrawn');
  await close();
});

test('admin: the users list and a new staff account', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('cell', { name: 'dispatcher@demo.test' }).waitFor();
  const login = `e2e-${Date.now()}@demo.test`;
  await page.getByLabel('Роль', { exact: true }).selectOption('company');
  await page.getByLabel('Организация', { exact: true }).selectOption({ label: 'ООО «УК Северный город»' });
  await page.getByLabel('ФИО', { exact: true }).fill('Новиков Олег Павлович');
  await page.getByLabel('Логин (e-mail)', { exact: true }).fill(login);
  await page.getByLabel('Начальный пароль', { exact: true }).fill('initial password 2026');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByText(`Учётная запись ${login} создана.`).waitFor();
  await page.getByRole('cell', { name: login }).waitFor();
  await checkA11y(page, 'admin: users');
  await screenshot(page, 'main-admin');
  await close();
});

test('public: the scorecard and the map of anonymised complaints', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('link', { name: 'Рейтинг управляющих компаний' }).click();
  await waitForPath(page, '/scorecard');
  const table = page.getByTestId('scorecard-table');
  await table.getByRole('rowheader', { name: 'ООО «УК Северный город»' }).waitFor();
  await checkA11y(page, 'public: scorecard');
  await screenshot(page, 'public-scorecard');
  await page.getByRole('link', { name: 'Жалобы на карте →' }).click();
  await waitForPath(page, '/map');
  await page.getByTestId('map').waitFor();
  await page.locator('.leaflet-interactive').first().waitFor();
  const rows = await page.getByTestId('public-row').count();
  assert(rows > 0, 'the map page lists the open complaints');
  const text = (await page.getByTestId('map-page').textContent()) ?? '';
  assert(!text.includes('кв. 12') && !text.includes('Иванова'), 'the public list shows no flats and no names');
  await checkA11y(page, 'public: map');
  await screenshot(page, 'public-map');
  await close();
});

test('375 px phone: the resident form and the dispatcher board fit the screen', async ({ browser }) => {
  const { page, close } = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  /** @param {string} what */
  const fits = async (what) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `${what} is ${width}px wide on a 375px screen`);
  };
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/resident/new`);
  await page.getByRole('combobox', { name: 'Адрес дома' }).waitFor();
  await fits('the complaint form');
  await screenshot(page, 'mobile-resident-form');
  if (story.id) {
    await page.goto(`${BASE_URL}/complaints/${story.id}`);
    await page.getByTestId('timeline').waitFor();
    await fits('the complaint page');
    await screenshot(page, 'mobile-complaint');
  }
  await page.getByRole('button', { name: 'Выйти' }).click();
  await signIn(page, 'dispatcher@demo.test');
  await waitForPath(page, '/dispatcher');
  await page.getByTestId('board-list').waitFor();
  await fits('the control board');
  await screenshot(page, 'mobile-dispatcher');
  await close();
});

// --- notifications, attachments, admin registries, and the README's screenshots ---

// The README's screenshots are rewritten only when asked (`make screenshots`); otherwise they go
// next to the other e2e screenshots, so that a test run leaves the work tree clean.
const DOC_SHOTS = fileURLToPath(
  new URL(process.env.E2E_DOC_SHOTS === '1' ? '../../docs/screenshots/' : './screenshots/docs/', import.meta.url),
);
const MINI_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/**
 * A clean screenshot for the README: the visible 1280×800 (or phone) viewport, no error banner.
 * @param {Page} page @param {string} name @param {boolean} [keepScroll]
 */
async function docShot(page, name, keepScroll = false) {
  const errors = await page.locator('.notice--error:visible, [data-testid="form-error"]:visible').count();
  assert(errors === 0, `an error banner is on the page for ${name}.png`);
  await page.evaluate(() => /** @type {any} */ (document.activeElement)?.blur?.());
  if (!keepScroll) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${DOC_SHOTS}${name}.png`, fullPage: false });
}

/** A PNG "photo" of the work: a screenshot of part of a page. @param {Page} page */
async function samplePhoto(page) {
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 320 } });
}

test('notifications: the company is told about a new complaint; bell, inbox, mark as read', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 11', 'gutters');
  const { page, close } = await openPage(browser);
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  const bell = page.getByTestId('notification-bell');
  await bell.waitFor();
  // The worker delivers every APP_WORKER_INTERVAL_SECONDS; the bell polls, and looks again on reload.
  const deadline = Date.now() + 45_000;
  while (Number(await bell.getAttribute('data-unread')) === 0) {
    assert(Date.now() < deadline, 'no notification reached the company within 45 s');
    await page.waitForTimeout(2_000);
    await page.reload();
    await bell.waitFor();
  }
  const before = Number(await bell.getAttribute('data-unread'));
  await bell.click();
  await waitForPath(page, '/notifications');
  await page.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
  const unreadAboutIt = page.locator('[data-testid="notification"][data-unread="true"]').filter({ hasText: complaint.number });
  const item = unreadAboutIt.first();
  while ((await item.count()) === 0) {
    assert(Date.now() < deadline, `no notification about ${complaint.number} within 45 s`);
    await page.waitForTimeout(2_000);
    await page.reload();
    await page.getByTestId('notifications-unread').waitFor();
  }
  await checkA11y(page, 'notifications: inbox');
  // Other complaints' notifications may arrive meanwhile, so watch this one, not the total.
  const unreadBefore = await unreadAboutIt.count();
  await item.getByTestId('mark-read').click();
  const readDeadline = Date.now() + 15_000;
  while ((await unreadAboutIt.count()) >= unreadBefore) {
    assert(Date.now() < readDeadline, 'the notification did not turn read within 15 s');
    await page.waitForTimeout(200);
  }
  assert(before > 0, 'the bell counted the unread notification');
  await page.getByTestId('notification').filter({ hasText: complaint.number }).first().getByRole('link').click();
  await waitForPath(page, `/complaints/${complaint.id}`);
  await page.getByTestId('complaint-page').waitFor();
  await close();
});

test('attachments: a photo and a PDF are uploaded, the photo has a thumbnail, the PDF downloads', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 11', 'gutters');
  const { page, close } = await openPage(browser);
  const photo = await samplePhoto(page);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/complaints/${complaint.id}`);
  const section = page.getByTestId('attachments');
  await section.waitFor();
  await page.getByTestId('attachment-input').setInputFiles([
    { name: 'vodostok.png', mimeType: 'image/png', buffer: photo },
    { name: 'akt.pdf', mimeType: 'application/pdf', buffer: MINI_PDF },
  ]);
  await page.getByTestId('attachment-upload').click();
  await page.getByTestId('attachment').nth(1).waitFor();
  const thumb = page.getByTestId('attachment-thumb').first();
  await thumb.waitFor();
  await page.waitForFunction(() => {
    const img = /** @type {HTMLImageElement | null} */ (document.querySelector('[data-testid="attachment-thumb"]'));
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  const pdf = page.getByTestId('attachment').filter({ hasText: 'akt.pdf' });
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.getByTestId('attachment-download').click()]);
  assertEqual(download.suggestedFilename(), 'akt.pdf', 'the downloaded file name');
  // Too big for the server: refused in the browser before sending.
  await page.getByTestId('attachment-input').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.getByText('Файл «big.pdf» больше 10 МБ.').waitFor();
  await checkA11y(page, 'complaint: attachments');
  await close();
});

test('admin registries: a new category reaches the filing form; CSV import report; organisations; API keys', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('link', { name: 'Категории', exact: true }).click();
  await waitForPath(page, '/admin/categories');
  await page.getByTestId('category-table').waitFor();
  const code = `snow_${Date.now().toString(36)}`;
  const form = page.getByTestId('category-form');
  // A 422 first: the server's English message is shown in Russian.
  await form.getByLabel('Код', { exact: true }).fill('X');
  await form.getByRole('button', { name: 'Создать' }).click();
  await form.locator('.field__error', { hasText: 'От 2 до 64 символов' }).waitFor();
  await form.getByLabel('Код', { exact: true }).fill(code);
  await form.getByLabel('Название по-русски').fill('Снег и наледь на кровле');
  await form.getByLabel('Название по-английски').fill('Snow and ice on the roof');
  await form.getByLabel('Срок устранения').fill('1');
  await form.getByLabel('Единица срока').selectOption('calendar_days');
  await form.getByRole('button', { name: 'Создать' }).click();
  await page.getByTestId('category-saved').waitFor();
  await page.locator(`[data-testid="category-row"][data-code="${code}"]`).waitFor();
  await checkA11y(page, 'admin: categories');

  await page.getByRole('link', { name: 'Дома', exact: true }).click();
  await waitForPath(page, '/admin/buildings');
  await page.getByTestId('building-table').waitFor();
  const street = `Импортная ${Date.now().toString(36)}`;
  const csv = `address;district;latitude;longitude;company_inn\n"г. Сургут, улица ${street}, д. 1";Центральный;61,2551;73,3844;\n;Центральный;;;\n"г. Сургут, улица ${street}, д. 2";Северный;100;73;\n`;
  await page.getByTestId('csv-input').setInputFiles({ name: 'doma.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('csv-import').click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const reportText = (await report.textContent()) ?? '';
  assert(reportText.includes('Добавлено домов: 1'), `import report: ${reportText}`);
  assert(reportText.includes('Строка 3') && reportText.includes('Строка 4'), `rejected lines in the report: ${reportText}`);
  assert(reportText.includes('Укажите число от -90 до 90'), `localised row errors: ${reportText}`);
  await page.getByTestId('building-search').fill(street);
  await page.getByTestId('building-table').getByRole('cell', { name: `г. Сургут, улица ${street}, д. 1`, exact: true }).waitFor();
  await checkA11y(page, 'admin: buildings and CSV import');
  await page.getByTestId('building-search').fill('');
  await page.getByTestId('building-table').getByRole('row').nth(5).waitFor();
  await docShot(page, 'admin-registries');

  await page.getByRole('link', { name: 'Организации', exact: true }).click();
  await waitForPath(page, '/admin/organisations');
  const orgs = page.getByTestId('admin-organisations');
  await orgs.getByRole('cell', { name: 'ООО «УК Северный город»', exact: true }).first().waitFor();
  await orgs.getByTestId('org-kind-filter').selectOption('tos_office');
  await page.waitForFunction(() => {
    const cells = Array.from(document.querySelectorAll('[data-testid="admin-organisations"] td'), (td) => td.textContent);
    return cells.length > 0 && !cells.includes('ООО «УК Северный город»');
  });
  await checkA11y(page, 'admin: organisations');

  await page.getByRole('link', { name: 'API-ключи', exact: true }).click();
  await waitForPath(page, '/admin/api-keys');
  await page.getByLabel('Назначение').fill('1С: УК Северный город');
  await page.getByLabel('Организация').selectOption({ label: 'ООО «УК Северный город»' });
  await page.getByRole('button', { name: 'Создать ключ' }).click();
  const key = (await page.getByTestId('new-key-value').textContent()) ?? '';
  assert(key.startsWith('dk_'), `the new key is shown once: ${key}`);
  await checkA11y(page, 'admin: API keys');
  await close();

  const resident = await openPage(browser);
  await signIn(resident.page, 'resident@demo.test');
  await waitForPath(resident.page, '/resident');
  await resident.page.goto(`${BASE_URL}/resident/new`);
  await resident.page.getByTestId('category-select').locator('option', { hasText: 'Снег и наледь на кровле' }).waitFor({ state: 'attached' });
  await resident.close();
});

test('screenshots for the README (docs/screenshots)', async ({ browser }) => {
  await mkdir(DOC_SHOTS, { recursive: true });
  const view = { viewport: { width: 1280, height: 800 } };
  // Some more realistic complaints for the board and the queue.
  await apiResidentComplaint('Ленина 13', 'no_heating');
  await apiResidentComplaint('Мира 5', 'gutters').catch(() => undefined);

  const visitor = await openPage(browser, view);
  await visitor.page.goto(`${BASE_URL}/`);
  await visitor.page.getByRole('heading', { level: 1 }).waitFor();
  await docShot(visitor.page, 'home');
  await visitor.page.goto(`${BASE_URL}/scorecard`);
  await visitor.page.getByTestId('scorecard-table').waitFor();
  await docShot(visitor.page, 'public-scorecard');
  await visitor.page.goto(`${BASE_URL}/map`);
  await visitor.page.locator('.leaflet-interactive').first().waitFor();
  await docShot(visitor.page, 'public-map');
  await visitor.close();

  const resident = await openPage(browser, view);
  const photo = await samplePhoto(resident.page);
  await signIn(resident.page, 'resident@demo.test');
  await waitForPath(resident.page, '/resident');
  await resident.page.goto(`${BASE_URL}/resident/new`);
  await resident.page.getByRole('combobox', { name: 'Адрес дома' }).fill('Ленина 11');
  await resident.page.getByRole('listbox').getByRole('option').first().click();
  await resident.page.getByTestId('category-select').selectOption(await categoryId('gutters'));
  await resident.page.getByLabel('Описание проблемы', { exact: false }).fill('Водосточная труба оторвана, вода льётся на крыльцо подъезда.');
  await docShot(resident.page, 'resident-file');
  await resident.page.getByTestId('complaint-photos').setInputFiles({ name: 'vodostok.png', mimeType: 'image/png', buffer: photo });
  await resident.page.getByRole('button', { name: 'Подать жалобу' }).click();
  await resident.page.waitForURL((url) => url.pathname.startsWith('/complaints/'));
  await resident.page.getByTestId('attachment-thumb').waitFor();
  await resident.close();

  // The complaint from story a: two rounds, closed; its full history.
  const timeline = await openPage(browser, view);
  await signIn(timeline.page, 'dispatcher@demo.test');
  await waitForPath(timeline.page, '/dispatcher');
  await timeline.page.getByTestId('board-list').waitFor();
  await docShot(timeline.page, 'dispatcher-board');
  await timeline.page.goto(`${BASE_URL}/dispatcher/verification`);
  await timeline.page.getByRole('heading', { level: 1 }).waitFor();
  await timeline.page.waitForTimeout(500);
  await docShot(timeline.page, 'dispatcher-verification');
  if (story.id) {
    await timeline.page.goto(`${BASE_URL}/complaints/${story.id}`);
    await timeline.page.getByTestId('complaint-page').waitFor();
    await timeline.page.evaluate(() => {
      const title = document.querySelector('#attachments-title');
      if (title) window.scrollTo(0, title.getBoundingClientRect().top + window.scrollY - 40);
    });
    await docShot(timeline.page, 'complaint-timeline', true);
  }
  await timeline.close();

  const company = await openPage(browser, view);
  await signIn(company.page, 'company@demo.test');
  await waitForPath(company.page, '/company');
  await company.page.getByRole('heading', { level: 1, name: 'Очередь жалоб' }).waitFor();
  await company.page.waitForTimeout(500);
  await docShot(company.page, 'company-queue');
  await company.page.goto(`${BASE_URL}/notifications`);
  await company.page.getByTestId('notifications-list').waitFor();
  await docShot(company.page, 'notifications');
  await company.close();

  const inspector = await openPage(browser, view);
  await signIn(inspector.page, 'inspector@demo.test');
  await waitForPath(inspector.page, '/inspector');
  await inspector.page.getByRole('heading', { level: 1 }).waitFor();
  await inspector.page.waitForTimeout(500);
  await docShot(inspector.page, 'inspector');
  await inspector.close();

  const clerk = await openPage(browser, view);
  await signIn(clerk.page, 'clerk@demo.test');
  await waitForPath(clerk.page, '/clerk');
  await clerk.page.getByLabel('ФИО заявителя').fill('Петрова Анна Викторовна');
  await clerk.page.getByLabel('Телефон', { exact: false }).fill('+7 922 555-43-21');
  await clerk.page.getByRole('combobox', { name: 'Адрес дома' }).fill('Ленина 13');
  await clerk.page.getByRole('listbox').getByRole('option').first().click();
  await clerk.page.getByTestId('category-select').selectOption(await categoryId('no_heating'));
  await clerk.page.getByLabel('Описание проблемы', { exact: false }).fill('В квартире холодные батареи со вчерашнего вечера.');
  await clerk.page.getByRole('checkbox').check();
  await clerk.page.getByRole('button', { name: 'Принять жалобу' }).click();
  await clerk.page.waitForURL((url) => url.pathname.startsWith('/clerk/receipt/'));
  await clerk.page.getByTestId('receipt-pin').waitFor();
  await docShot(clerk.page, 'clerk-receipt');
  await clerk.close();

  const phone = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await signIn(phone.page, 'resident@demo.test');
  await waitForPath(phone.page, '/resident');
  await phone.page.getByTestId('resident-home').waitFor();
  await phone.page.waitForTimeout(500);
  await docShot(phone.page, 'mobile-resident');
  await phone.close();
});

async function main() {
  await mkdir(SHOTS, { recursive: true });
  console.log(`e2e against ${BASE_URL}`);
  let passed = 0;
  let failed = 0;
  /** @type {Browser | undefined} */
  let browser;
  try {
    const meta = await apiJson('/api/v1/meta');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    for (const { name, fn } of tests) {
      const started = Date.now();
      try {
        await fn({ browser, meta });
        passed += 1;
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${name}\n     ${error instanceof Error ? error.message.split('\n').join('\n     ') : error}`);
        for (const [index, { page }] of openContexts.entries()) {
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          await screenshot(page, `FAILED-${slug}-${index}`).catch(() => {});
        }
      } finally {
        for (const { context } of openContexts) await context.close().catch(() => {});
        openContexts = [];
      }
    }
  } catch (error) {
    failed += tests.length - passed - failed || 1;
    console.log(`FAIL setup: ${error instanceof Error ? error.message : error}`);
  } finally {
    await browser?.close();
  }
  console.log(`axe-core (${AXE_TAGS.join(', ')}): violations per page checked`);
  for (const [name, count] of a11yReport) console.log(`  ${String(count).padStart(3)}  ${name}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

await main();
