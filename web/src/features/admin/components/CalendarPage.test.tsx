import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { CalendarPage } from './CalendarPage';

const YEAR = (year: number, status: string) => ({
  year,
  status,
  origin: 'compiled',
  upload: null,
  source: 'ПП РФ',
  days_off_weekdays: ['2027-01-01'],
  working_weekends: [],
  shortened: [],
});

describe('CalendarPage', () => {
  it('lists the years with their status and shows the fields the server refuses', async () => {
    const sent: unknown[] = [];
    stubFetch({
      'GET /api/v1/admin/calendar': () => json(200, { years: [YEAR(2026, 'confirmed'), YEAR(2027, 'unconfirmed')], uploads: [] }),
      'PUT /api/v1/admin/calendar/2027': async (request: Request) => {
        sent.push(await request.json());
        return json(422, {
          type: 'urn:dispatch:problem:validation_failed',
          title: 'Проверьте введённые данные',
          status: 422,
          code: 'validation_failed',
          errors: { 'years.2027.working_weekends[0]': ['2027-01-04 is a Monday: only a Saturday or a Sunday can be a working weekend day'] },
        });
      },
    });
    renderWithProviders(<CalendarPage />);
    expect(await screen.findByTestId('calendar-year-2027')).toHaveTextContent('Не утверждён');
    expect(screen.getByTestId('calendar-year-2026')).toHaveTextContent('Утверждён');

    const user = userEvent.setup();
    const form = screen.getByTestId('calendar-upload');
    const text = within(form).getByRole('textbox', { name: /Или вставьте JSON/ });
    fireEvent.change(text, { target: { value: 'not json' } });
    expect(within(form).getByRole('textbox', { name: 'Год' })).toHaveValue('');
    await user.type(within(form).getByRole('textbox', { name: 'Год' }), '2027');
    await user.click(within(form).getByRole('button', { name: 'Загрузить' }));
    expect(await within(form).findByText(/Это не JSON/)).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    const body = { years: { '2027': { working_weekends: ['2027-01-04'], source: 'x' } } };
    fireEvent.change(text, { target: { value: JSON.stringify(body) } });
    await user.click(within(form).getByRole('button', { name: 'Загрузить' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('years.2027.working_weekends[0]');
    expect(sent).toEqual([body]);
  });
});
