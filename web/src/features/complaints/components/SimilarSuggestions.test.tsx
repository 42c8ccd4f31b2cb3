import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { SimilarSuggestions } from './SimilarSuggestions';

const building = '0190c0de-0000-7000-8000-000000000001';
const similar = {
  id: '0190c0de-0000-7000-8000-0000000000c1',
  number: 'СУР-2026-000120',
  category_id: '0190c0de-0000-7000-8000-000000000002',
  category_name_ru: 'Нет отопления',
  category_name_en: 'No heating',
  status: 'in_progress',
  filed_on: '2026-12-06T19:00:00Z',
  score: 13,
};

describe('SimilarSuggestions', () => {
  it('asks for similar complaints of the building and joins one by its button', async () => {
    const { requests } = stubFetch({
      'GET /api/v1/complaints/similar': () => json(200, [similar]),
      'POST /api/v1/complaints/0190c0de-0000-7000-8000-0000000000c1/followers': () =>
        json(200, { complaint_id: similar.id, number: similar.number, joined: true, followers_count: 3 }),
    });
    renderWithProviders(<SimilarSuggestions mode="resident" buildingId={building} categoryId="" text="холодные батареи" />);
    const item = await screen.findByTestId('similar-item', {}, { timeout: 3000 });
    expect(item).toHaveTextContent('СУР-2026-000120 · Нет отопления · В работе');
    const query = new URL(requests[0]!.url).searchParams;
    expect(query.get('building_id')).toBe(building);
    expect(query.get('text')).toBe('холодные батареи');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Присоединиться к жалобе СУР-2026-000120' }));
    expect(await screen.findByTestId('joined-notice')).toHaveTextContent('Вы присоединились к жалобе СУР-2026-000120. Подписчиков: 3.');
    const post = requests.find((r) => r.method === 'POST');
    await waitFor(async () => expect(await post?.clone().json()).toEqual({}));
  });

  it('lets a clerk join only with the applicant phone and consent', async () => {
    stubFetch({ 'GET /api/v1/complaints/similar': () => json(200, [similar]) });
    renderWithProviders(
      <SimilarSuggestions mode="clerk" buildingId={building} categoryId="" text="" applicant={{ phone: '', consent: false, consentVersion: '2026-01' }} />,
    );
    await screen.findByTestId('similar-item', {}, { timeout: 3000 });
    expect(screen.getByRole('button', { name: 'Присоединиться к жалобе СУР-2026-000120' })).toBeDisabled();
    expect(screen.getByText(/укажите его телефон/)).toBeInTheDocument();
  });
});
