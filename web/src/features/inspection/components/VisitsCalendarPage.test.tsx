import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { VisitsCalendarPage } from './VisitsCalendarPage';

const complaint = { id: '0193a5b0-0000-7000-8000-0000000000c1', number: 'СУР-2026-000042', building: { id: 'b', address: 'г. Сургут, ул. Ленина, 1', district: 'Центральный' } };

describe('VisitsCalendarPage', () => {
  it('schedules a visit to a complaint under inspection and shows a time in the past on its field', async () => {
    const posted: unknown[] = [];
    stubFetch({
      'GET /api/v1/inspection/visits': () => json(200, []),
      'GET /api/v1/complaints': () => json(200, { items: [complaint], next_cursor: null }),
      [`POST /api/v1/complaints/${complaint.id}/visits`]: async (request: Request) => {
        posted.push(await request.json());
        return json(422, { type: 'urn:dispatch:problem:validation_failed', title: 'Validation failed', status: 422, code: 'validation_failed', errors: { at: ['a visit is scheduled for a time still to come'] } });
      },
    });
    renderWithProviders(<VisitsCalendarPage />);
    expect((await screen.findAllByText('Выездов нет')).length).toBe(7);
    const user = userEvent.setup();
    await screen.findByRole('option', { name: /СУР-2026-000042/ });
    await user.selectOptions(screen.getByLabelText('Обращение у жилищного контроля'), complaint.id);
    await user.type(screen.getByLabelText(/Дата и время/), '2020-01-01T10:00');
    await user.click(screen.getByRole('button', { name: 'Назначить' }));
    expect(await screen.findByText(/time still to come/)).toBeInTheDocument();
    expect(posted).toEqual([{ at: '2020-01-01T05:00:00.000Z', note: '' }]);
  });
});
