// End-to-end test of the SPA shell against the real `dispatch` binary, in Debian's Chromium.
//
//   E2E_BASE_URL=http://127.0.0.1:18080 npm run e2e
//
// The binary must run in demo mode (APP_DEMO=true) so that the demo users exist. Screenshots go
// to e2e/screenshots/. Exits non-zero on any failure; the last line is "N passed, M failed".
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'demo2026';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const TIMEOUT_MS = 15_000;

/** The demo users and what the role page must call their role, in both languages. */
const ROLES = [
  { role: 'resident', login: 'resident@demo.test', ru: 'Житель', en: 'Resident' },
  { role: 'clerk', login: 'clerk@demo.test', ru: 'Специалист ТОС', en: 'Neighbourhood office (TOS) clerk' },
  { role: 'company', login: 'company@demo.test', ru: 'Сотрудник управляющей компании', en: 'Management company staff' },
  { role: 'dispatcher', login: 'dispatcher@demo.test', ru: 'Специалист ДГХ', en: 'City housing department specialist' },
  { role: 'inspector', login: 'inspector@demo.test', ru: 'Инспектор жилищного контроля', en: 'Housing inspector' },
  { role: 'admin', login: 'admin@demo.test', ru: 'Администратор', en: 'Administrator' },
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

/** @param {Page} page @param {any} user @param {{ roleName: string; noOrganisation: string }} expected */
async function checkRolePage(page, user, expected) {
  await page.getByTestId(`role-page-${user.role}`).waitFor();
  assertEqual(await page.getByTestId('user-name').textContent(), user.name, 'name on the role page');
  assertEqual(await page.getByTestId('user-role').textContent(), expected.roleName, 'role on the role page');
  assertEqual(
    await page.getByTestId('user-organisation').textContent(),
    user.organisation?.name ?? expected.noOrganisation,
    'organisation on the role page',
  );
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
  await screenshot(page, 'home-ru');
  await page.getByRole('link', { name: 'Войти в систему' }).click();
  await waitForPath(page, '/login');
  await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();
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
  await checkRolePage(page, user, { roleName: expected.ru, noOrganisation: 'Не указана' });
  await page.getByRole('heading', { level: 1, name: `Рабочее место: ${expected.ru}` }).waitFor();
  await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
  await screenshot(page, 'dispatcher-ru');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: `Workspace: ${expected.en}` }).waitFor();
  await checkRolePage(page, user, { roleName: expected.en, noOrganisation: 'None' });
  await page.getByRole('heading', { name: 'What you will be able to do' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await checkPilotBanner(page, meta, 'The service is running in test mode');
  assertEqual(await page.locator('html').getAttribute('lang'), 'en', 'html lang after switching');
  await screenshot(page, 'dispatcher-en');

  // Both the session and the language survive a reload.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: `Workspace: ${expected.en}` }).waitFor();

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
  assertEqual(await page.getByTestId('user-name').textContent(), 'Иванова Мария Петровна', 'resident name');
  await close();
});

for (const expected of ROLES) {
  test(`${expected.role}: signs in and sees their own role page`, async ({ browser, meta }) => {
    const user = await apiUser(expected.login);
    assertEqual(user.role, expected.role, `role of ${expected.login} in the API`);
    const { page, close } = await openPage(browser);
    await signIn(page, expected.login);
    await waitForPath(page, `/${expected.role}`);
    await checkRolePage(page, user, { roleName: expected.ru, noOrganisation: 'Не указана' });
    await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
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
  await page.getByTestId('user-name').waitFor();
  await fits('the role page');
  await screenshot(page, 'mobile-company');
  await close();
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
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

await main();
