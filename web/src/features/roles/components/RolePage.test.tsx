import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { demoUsers } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { RolePage } from './RolePage';

describe('RolePage', () => {
  it('shows who is signed in, in Russian', () => {
    renderWithProviders(<RolePage me={demoUsers.dispatcher} />);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Рабочее место: Специалист ДГХ');
    expect(screen.getByTestId('user-name')).toHaveTextContent('Петров Сергей Иванович');
    expect(screen.getByTestId('user-role')).toHaveTextContent('Специалист ДГХ');
    expect(screen.getByTestId('user-organisation')).toHaveTextContent('Департамент городского хозяйства');
    expect(screen.getByText('Передавать жалобы в жилищный контроль.')).toBeInTheDocument();
  });

  it('shows the role in English and a user without an organisation', () => {
    renderWithProviders(<RolePage me={demoUsers.resident} />, { language: 'en' });
    expect(screen.getByTestId('user-name')).toHaveTextContent('Иванова Мария Петровна');
    expect(screen.getByTestId('user-role')).toHaveTextContent('Resident');
    expect(screen.getByTestId('user-organisation')).toHaveTextContent('None');
    expect(screen.getByRole('heading', { name: 'What you will be able to do' })).toBeInTheDocument();
  });
});
