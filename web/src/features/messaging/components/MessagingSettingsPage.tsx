import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { FormProblem } from '@/components/FormProblem';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { Choice, MessageLanguage, MessagingSettings } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { formatDate } from '@/lib/time';
import { useMyMessaging, useSaveMyMessaging } from '../api/queries';
import { parseDigest, toGrid, toggle, withSmsOn } from '../lib/grid';

const FIELDS = ['digest_minutes', 'language'];

function SettingsForm({ settings }: { settings: MessagingSettings }) {
  const { t, language } = useI18n();
  const save = useSaveMyMessaging();
  const [choices, setChoices] = useState<Choice[]>(settings.choices);
  const [mode, setMode] = useState<'each' | 'digest'>(settings.digest_minutes == null ? 'each' : 'digest');
  const [minutes, setMinutes] = useState(String(settings.digest_minutes ?? 30));
  const [lang, setLang] = useState<MessageLanguage>(settings.language);
  const [saved, setSaved] = useState(false);
  const [digestError, setDigestError] = useState<string | undefined>();
  const grid = toGrid(choices);
  const min = settings.digest_min_minutes;
  const max = settings.digest_max_minutes;

  function submit(next: Choice[]) {
    const digest = settings.digest_offered ? parseDigest(mode, minutes, min, max) : null;
    if (digest === 'invalid') {
      setDigestError(t('messaging.digestRange', { min, max }));
      return;
    }
    setDigestError(undefined);
    setSaved(false);
    save.mutate(
      { choices: next, digest_minutes: digest, language: lang },
      {
        onSuccess: (s) => {
          setChoices(s.choices);
          setSaved(true);
        },
      },
    );
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit(choices);
  }
  const stoppedAt = settings.sms_stopped_at ? formatDate(settings.sms_stopped_at, language) : '';

  return (
    <>
      {settings.sms_stopped ? (
        <section className="notice notice--warning" aria-labelledby="sms-stopped-title" data-testid="sms-stopped">
          <h2 id="sms-stopped-title" className="notice__title">
            {t('messaging.stoppedTitle')}
          </h2>
          <p>{t('messaging.stoppedText', { date: stoppedAt })}</p>
          <button type="button" className="button button--primary" disabled={save.isPending} onClick={() => submit(withSmsOn(choices))} data-testid="resume-sms">
            {t('messaging.resume')}
          </button>
        </section>
      ) : null}
      <section className="card" aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t('messaging.contacts')}</h2>
        <dl className="messaging-contacts">
          <dt>{t('messaging.phone')}</dt>
          <dd data-testid="my-phone">{settings.phone ?? t('messaging.none')}</dd>
          <dt>{t('messaging.email')}</dt>
          <dd>{settings.email ?? t('messaging.none')}</dd>
        </dl>
      </section>
      <form className="card form" noValidate onSubmit={onSubmit} aria-labelledby="choices-title" data-testid="messaging-form">
        <h2 id="choices-title">{t('messaging.choicesTitle')}</h2>
        <FormProblem error={save.error} fields={FIELDS} />
        {saved ? (
          <p className="notice notice--success" role="status" data-testid="messaging-saved">
            {t('messaging.saved')}
          </p>
        ) : null}
        {grid.rows.length === 0 ? (
          <p data-testid="nothing-to-choose">{t('messaging.nothing')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="choices-title">
            <table className="table messaging-grid" data-testid="messaging-grid">
              <thead>
                <tr>
                  <th scope="col">{t('messaging.kind')}</th>
                  {grid.columns.map((channel) => (
                    <th key={channel} scope="col">
                      {t(`messaging.channel.${channel}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.rows.map((row) => (
                  <tr key={row.kind}>
                    <th scope="row">{t(`messaging.kind.${row.kind}`)}</th>
                    {row.cells.map((cell, i) => {
                      const channel = grid.columns[i]!;
                      return (
                        <td key={channel}>
                          {cell === null ? (
                            <span aria-label={t('messaging.notOffered')}>—</span>
                          ) : (
                            <input
                              type="checkbox"
                              className="messaging-grid__box"
                              checked={cell}
                              data-choice={`${row.kind}.${channel}`}
                              aria-label={t('messaging.cell', { kind: t(`messaging.kind.${row.kind}`), channel: t(`messaging.channel.${channel}`) })}
                              onChange={(e) => setChoices((old) => toggle(old, row.kind, channel, e.target.checked))}
                            />
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {settings.digest_offered ? (
          <fieldset className="fieldset">
            <legend>{t('messaging.newComplaints')}</legend>
            <label className="checkbox">
              <input type="radio" name="digest" value="each" checked={mode === 'each'} onChange={() => setMode('each')} />
              <span>{t('messaging.each')}</span>
            </label>
            <label className="checkbox">
              <input type="radio" name="digest" value="digest" checked={mode === 'digest'} onChange={() => setMode('digest')} />
              <span>{t('messaging.digest')}</span>
            </label>
            <div className={`field${digestError ?? serverFieldError(save.error, 'digest_minutes') ? ' field--invalid' : ''}`}>
              <label htmlFor="digest-minutes" className="field__label">
                {t('messaging.digestMinutes', { min, max })}
              </label>
              {(digestError ?? serverFieldError(save.error, 'digest_minutes')) ? (
                <p id="digest-error" className="field__error">
                  {digestError ?? serverFieldError(save.error, 'digest_minutes')}
                </p>
              ) : null}
              <input
                id="digest-minutes"
                name="digest_minutes"
                type="number"
                min={min}
                max={max}
                className="field__input messaging-digest"
                value={minutes}
                disabled={mode === 'each'}
                aria-describedby={digestError ? 'digest-error' : undefined}
                onChange={(e) => setMinutes(e.target.value)}
              />
            </div>
          </fieldset>
        ) : null}
        <div className="field">
          <label htmlFor="message-language" className="field__label">
            {t('messaging.language')}
          </label>
          <select id="message-language" className="field__input messaging-digest" value={lang} onChange={(e) => setLang(e.target.value as MessageLanguage)}>
            <option value="ru">{t('lang.ru')}</option>
            <option value="en">{t('lang.en')}</option>
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="messaging-save">
            {t('messaging.save')}
          </button>
        </div>
      </form>
    </>
  );
}

/** Every signed-in role: which messages reach me by which channel, the digest, and SMS after "STOP". */
export function MessagingSettingsPage() {
  const { t } = useI18n();
  const settings = useMyMessaging();
  const title = t('messaging.title');
  return (
    <div className="narrow" data-testid="messaging-settings">
      <PageHeading title={title}>{title}</PageHeading>
      <p>{t('messaging.lead')}</p>
      {settings.isPending ? <Loading /> : null}
      {settings.isError ? <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {settings.data ? <SettingsForm settings={settings.data} /> : null}
    </div>
  );
}
