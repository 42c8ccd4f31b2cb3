import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { CalendarUploadBody, CalendarYear } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useCalendar, useUploadCalendarYear } from '../api/calendar';

/** The year named in pasted JSON (`{"years": {"2027": …}}`), to prefill the year field. */
function yearIn(text: string): string | null {
  const match = /"years"\s*:\s*\{\s*"(\d{4})"/.exec(text);
  return match ? match[1]! : null;
}

function YearRow({ year }: { year: CalendarYear }) {
  const { t, language } = useI18n();
  return (
    <tr data-testid={`calendar-year-${year.year}`}>
      <th scope="row">{year.year}</th>
      <td>
        <span className="badge">{t(`calendar.status.${year.status}`)}</span>
      </td>
      <td>
        {year.upload
          ? t('calendar.origin.uploaded', {
              version: String(year.upload.version),
              login: year.upload.editor_login,
              at: formatDateTime(year.upload.uploaded_at, language),
            })
          : t('calendar.origin.compiled')}
      </td>
      <td>{year.days_off_weekdays.length}</td>
      <td>{year.working_weekends.length}</td>
      <td>{year.shortened.length}</td>
      <td>{year.source}</td>
    </tr>
  );
}

/** Administrator: the production calendar's years with their status, and the upload of a year as JSON. */
export function CalendarPage() {
  const { t } = useI18n();
  const calendar = useCalendar();
  const upload = useUploadCalendarYear();
  const [year, setYear] = useState('');
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);

  const changeText = (value: string) => {
    setText(value);
    setParseError(null);
    const named = yearIn(value);
    if (named) setYear(named);
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) changeText(await file.text());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    let body: CalendarUploadBody;
    try {
      body = JSON.parse(text) as CalendarUploadBody;
    } catch (cause) {
      setParseError(t('calendar.notJson', { reason: cause instanceof Error ? cause.message : String(cause) }));
      return;
    }
    const target = Math.trunc(Number(year));
    upload.mutate({ year: target, body }, { onSuccess: () => setDone(target) });
  };

  return (
    <div data-testid="calendar-page">
      <PageHeading title={t('calendar.title')}>{t('calendar.title')}</PageHeading>
      <p className="lead">{t('calendar.lead')}</p>
      <FormProblem error={calendar.error} fields={[]} />
      {calendar.data ? (
        <table className="table" data-testid="calendar-years">
          <caption>{t('calendar.years')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('calendar.year')}</th>
              <th scope="col">{t('calendar.status')}</th>
              <th scope="col">{t('calendar.origin')}</th>
              <th scope="col">{t('calendar.daysOff')}</th>
              <th scope="col">{t('calendar.workingWeekends')}</th>
              <th scope="col">{t('calendar.shortened')}</th>
              <th scope="col">{t('calendar.source')}</th>
            </tr>
          </thead>
          <tbody>
            {calendar.data.years.map((y) => (
              <YearRow key={y.year} year={y} />
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="card" onSubmit={submit} noValidate data-testid="calendar-upload">
        <h2>{t('calendar.uploadTitle')}</h2>
        <Field label={t('calendar.year')} error={serverFieldError(upload.error, 'year')}>
          {(props) => <input {...props} inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value)} name="year" />}
        </Field>
        <Field label={t('calendar.file')}>
          {(props) => <input {...props} type="file" accept="application/json,.json" onChange={(e) => void readFile(e)} />}
        </Field>
        <Field label={t('calendar.json')} hint={t('calendar.jsonHint')} error={parseError ?? undefined}>
          {(props) => <textarea {...props} rows={12} value={text} onChange={(e) => changeText(e.target.value)} name="json" spellCheck={false} />}
        </Field>
        <FormProblem error={upload.error} fields={['year']} />
        {done !== null && !upload.isPending && !upload.error ? (
          <p role="status" className="notice notice--success">
            {t('calendar.uploaded', { year: String(done) })}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={upload.isPending || text.trim() === '' || year.trim() === ''}>
          {t('calendar.upload')}
        </button>
      </form>
    </div>
  );
}
