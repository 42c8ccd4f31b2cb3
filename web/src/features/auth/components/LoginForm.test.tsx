import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { sessionStore } from '@/lib/auth/session';
import { demoUsers, loginResponse, problem, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { LoginForm } from './LoginForm';

async function fillAndSubmit(login: string, password: string) {
  const user = userEvent.setup();
  if (login) await user.type(screen.getByLabelText('Логин'), login);
  if (password) await user.type(screen.getByLabelText('Пароль'), password);
  await user.click(screen.getByRole('button', { name: 'Войти' }));
  return user;
}

describe('LoginForm', () => {
  it('shows the server’s invalid-credentials problem at the form and focuses it', async () => {
    stubFetch({ 'POST /api/v1/auth/login': () => problem(401, 'invalid_credentials', { detail: 'Invalid login or password' }) });
    const onSignedIn = vi.fn();
    renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);

    await fillAndSubmit('resident@demo.test', 'wrong');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Не удалось войти');
    expect(alert).toHaveTextContent('Неверный логин или пароль.');
    expect(alert).toHaveFocus();
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(sessionStore.getToken()).toBeNull();
  });

  it('shows 422 field errors next to their fields', async () => {
    stubFetch({
      'POST /api/v1/auth/login': () =>
        problem(422, 'validation_failed', { errors: { login: ['длина логина — не более 254 символов'] } }),
    });
    renderWithProviders(<LoginForm onSignedIn={vi.fn()} />);

    await fillAndSubmit('x'.repeat(10), 'secret');

    const loginInput = screen.getByLabelText('Логин');
    await waitFor(() => expect(loginInput).toHaveAttribute('aria-invalid', 'true'));
    expect(loginInput).toHaveAccessibleDescription(/длина логина — не более 254 символов/);
    expect(loginInput).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('Проверьте правильность заполнения полей.');
  });

  it('checks required fields before calling the server', async () => {
    const { fetchStub } = stubFetch({});
    renderWithProviders(<LoginForm onSignedIn={vi.fn()} />);

    await fillAndSubmit('', '');

    expect(screen.getByLabelText('Логин')).toHaveAccessibleDescription(/Введите логин\./);
    expect(screen.getByLabelText('Пароль')).toHaveAccessibleDescription('Введите пароль.');
    expect(screen.getByLabelText('Логин')).toHaveFocus();
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('shows a loading state, then stores the token and reports the user', async () => {
    let release: (response: Response) => void = () => {};
    const { requests } = stubFetch({
      'POST /api/v1/auth/login': () => new Promise<Response>((resolve) => (release = resolve)),
    });
    const onSignedIn = vi.fn();
    renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);

    await fillAndSubmit('  resident@demo.test ', 'demo2026');

    const button = await screen.findByRole('button', { name: 'Выполняется вход…' });
    expect(button).toBeDisabled();
    release(loginResponse(demoUsers.resident, 'abc'));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    expect(onSignedIn.mock.calls[0]?.[0].user.name).toBe('Иванова Мария Петровна');
    expect(sessionStore.getToken()).toBe('abc');
    expect(await requests[0]?.json()).toEqual({ login: 'resident@demo.test', password: 'demo2026' });
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    renderWithProviders(<LoginForm onSignedIn={vi.fn()} />, { language: 'en' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Login'), 'a');
    await user.type(screen.getByLabelText('Password'), 'b');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The server cannot be reached.');
  });
});
