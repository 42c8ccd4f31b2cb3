import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { sessionStore } from '@/lib/auth/session';
import { LANGUAGE_STORAGE_KEY } from '@/lib/i18n/language';
import { demoMeta, demoUsers, json, loginResponse, problem, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render';

describe('App shell', () => {
  it('shows the public home page with the pilot banner and the API docs link', async () => {
    stubFetch({ 'GET /api/v1/meta': () => json(200, demoMeta) });
    renderApp();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Жалобы на управляющую компанию');
    expect(await screen.findByTestId('pilot-banner')).toHaveTextContent('Сервис работает в тестовом режиме');
    expect(screen.getAllByRole('link', { name: 'Документация API' })[0]).toHaveAttribute('href', '/docs/');
    expect(await screen.findByText('Город: Сургут')).toBeInTheDocument();
  });

  it('hides the banner outside pilot mode', async () => {
    stubFetch({ 'GET /api/v1/meta': () => json(200, { ...demoMeta, pilot_mode: false }) });
    renderApp();
    expect(await screen.findByText('Версия 0.1.0')).toBeInTheDocument();
    expect(screen.queryByTestId('pilot-banner')).not.toBeInTheDocument();
  });

  it('signs in, lands on the role page, switches language and signs out', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/meta': () => json(200, demoMeta),
      'POST /api/v1/auth/login': () => loginResponse(demoUsers.dispatcher, 'tok'),
      'GET /api/v1/me': (request) =>
        request.headers.get('Authorization') === 'Bearer tok' ? json(200, demoUsers.dispatcher) : problem(401, 'unauthorized'),
      'GET /api/v1/complaints': () => json(200, { items: [], next_cursor: null }),
      'GET /api/v1/categories': () => json(200, []),
      'GET /api/v1/buildings': () => json(200, []),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const { router } = renderApp({ path: '/login' });
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Логин'), 'dispatcher@demo.test');
    await user.type(screen.getByLabelText('Пароль'), 'demo2026');
    await user.click(screen.getByRole('button', { name: 'Войти' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/dispatcher'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Контрольная доска' })).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByTestId('current-user')).toHaveTextContent('Петров Сергей Иванович');
    expect(within(header).getByTestId('current-user')).toHaveTextContent('Специалист ДГХ');
    expect(await screen.findByText('Под фильтры ничего не подходит.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /English/ }));
    expect(within(header).getByTestId('current-user')).toHaveTextContent('City housing department specialist');
    expect(screen.getByRole('heading', { level: 1, name: 'Control board' })).toBeInTheDocument();
    expect(screen.getByTestId('pilot-banner')).toHaveTextContent('The service is running in test mode');
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.getByText('You have signed out.')).toBeInTheDocument();
    expect(sessionStore.getToken()).toBeNull();
    // Every call made while the UI was Russian asked the server for Russian.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.headers.get('Accept-Language') === 'ru')).toBe(true);
  });

  it('sends a signed-out visitor of a role page to the sign-in page', async () => {
    stubFetch({ 'GET /api/v1/meta': () => json(200, demoMeta) });
    const { router } = renderApp({ path: '/inspector' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.getByText('Чтобы открыть эту страницу, войдите в систему.')).toBeInTheDocument();
  });

  it('logs out when /me answers 401', async () => {
    sessionStore.set('expired-token', 3600);
    stubFetch({
      'GET /api/v1/meta': () => json(200, demoMeta),
      'GET /api/v1/me': () => problem(401, 'unauthorized'),
    });
    const { router } = renderApp({ path: '/resident' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(sessionStore.getToken()).toBeNull();
    expect(window.sessionStorage.length).toBe(0);
  });

  it('keeps a user on their own page with a cosmetic role gate', async () => {
    sessionStore.set('tok', 3600);
    stubFetch({
      'GET /api/v1/meta': () => json(200, demoMeta),
      'GET /api/v1/me': () => json(200, demoUsers.resident),
    });
    renderApp({ path: '/admin' });
    expect(await screen.findByRole('heading', { name: 'Эта страница для другой роли' })).toBeInTheDocument();
    expect(screen.getByText('Страница предназначена для роли «Администратор», а вы вошли как «Житель».')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Перейти на свою страницу' })).toHaveAttribute('href', '/resident');
  });

  it('shows a not-found page for an unknown route', async () => {
    stubFetch({ 'GET /api/v1/meta': () => json(200, demoMeta) });
    renderApp({ path: '/no/such/page' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Страница не найдена');
    expect(screen.getByRole('link', { name: 'На главную' })).toHaveAttribute('href', '/');
  });
});
