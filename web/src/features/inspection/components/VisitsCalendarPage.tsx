import { useState } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { Visit } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { CITY_TIME_ZONE, cityLocalToIso, formatDate } from '@/lib/time';
import { useVisits } from '../api/registers';
import { ScheduleVisitForm } from './ScheduleVisitForm';

const DAY = 24 * 3600 * 1000;

/** The city date (YYYY-MM-DD) of an instant. */
function cityDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** The inspector's week of visits, day by day (city time). */
export function VisitsCalendarPage() {
  const { t, language } = useI18n();
  const [start, setStart] = useState(() => Date.parse(cityLocalToIso(`${cityDay(Date.now())}T00:00`) ?? new Date().toISOString()));
  const days = Array.from({ length: 7 }, (_, i) => start + i * DAY);
  const from = new Date(start).toISOString();
  const to = new Date(start + 7 * DAY).toISOString();
  const visits = useVisits(from, to);
  const time = (iso: string) =>
    new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: CITY_TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
  const byDay = (day: number): Visit[] => (visits.data ?? []).filter((v) => cityDay(Date.parse(v.at)) === cityDay(day));

  return (
    <div data-testid="visits-calendar">
      <PageHeading title={t('visits.title')}>{t('visits.title')}</PageHeading>
      <p className="lead">{t('visits.lead')}</p>
      <ScheduleVisitForm />
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={() => setStart((s) => s - 7 * DAY)}>
          {t('visits.prevWeek')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setStart((s) => s + 7 * DAY)}>
          {t('visits.nextWeek')}
        </button>
      </div>
      <p>{t('visits.week', { from: formatDate(from, language), to: formatDate(new Date(start + 6 * DAY).toISOString(), language) })}</p>
      {visits.isPending ? <Loading /> : null}
      {visits.isError ? <ErrorNotice error={visits.error} onRetry={() => void visits.refetch()} /> : null}
      {days.map((day) => {
        const list = byDay(day);
        return (
          <section key={day} className="card" data-day={cityDay(day)}>
            <h2>{formatDate(new Date(day).toISOString(), language)}</h2>
            {list.length === 0 ? <p className="muted">{t('visits.none')}</p> : null}
            <ul>
              {list.map((v) => (
                <li key={v.id} data-testid="visit">
                  {t('visits.at', { time: time(v.at), address: v.address, number: v.complaint_number })}
                  {v.note ? <small className="muted"> · {v.note}</small> : null}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
