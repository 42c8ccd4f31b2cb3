import { useState, type FormEvent } from 'react';
import { DataTable } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { MessageTemplate, PreviewRequest } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useDebounced } from '@/lib/hooks/useDebounced';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { usePreview, useResetTemplate, useSaveTemplate, useTemplates, type TemplateKey } from '../api/queries';
import { unknownPlaceholders } from '../lib/grid';

const FIELDS = ['subject', 'body'];
const keyOf = (t: MessageTemplate): TemplateKey => ({ kind: t.kind, channel: t.channel, language: t.language });
const idOf = (t: { kind: string; channel: string; language: string }) => `${t.kind}.${t.channel}.${t.language}`;

function Editor({ template, onClose }: { template: MessageTemplate; onClose: () => void }) {
  const { t } = useI18n();
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const [subject, setSubject] = useState(template.subject ?? '');
  const [body, setBody] = useState(template.body);
  const [saved, setSaved] = useState<string | null>(null);
  const isMail = template.channel === 'email';
  const request: PreviewRequest = { ...keyOf(template), subject: isMail ? subject : null, body };
  const debounced = useDebounced(request, 300);
  const preview = usePreview(debounced.body.trim() ? debounced : null);
  const unknown = unknownPlaceholders(`${isMail ? subject : ''} ${body}`, template.fields);
  const err = (field: string) => serverFieldError(save.error, field);
  const name = `${t(`messaging.kind.${template.kind}`)} · ${t(`messaging.channel.${template.channel}`)} · ${template.language.toUpperCase()}`;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    save.mutate({ key: keyOf(template), subject: isMail ? subject : null, body }, { onSuccess: () => setSaved(t('templates.saved')) });
  }
  function onReset() {
    setSaved(null);
    reset.mutate(keyOf(template), {
      onSuccess: (back) => {
        setSubject(back.subject ?? '');
        setBody(back.body);
        setSaved(t('templates.resetDone'));
      },
    });
  }

  return (
    <section className="card" aria-labelledby="editor-title" data-testid="template-editor">
      <h2 id="editor-title">{t('templates.editing', { name })}</h2>
      <form className="form" noValidate onSubmit={onSubmit}>
        <FormProblem error={save.error ?? reset.error} fields={FIELDS} />
        {saved ? (
          <p className="notice notice--success" role="status" data-testid="template-saved">
            {saved}
          </p>
        ) : null}
        <p className="field__hint">
          {t('templates.fields')} <code>{template.fields.map((f) => `{${f}}`).join(' ')}</code>
        </p>
        {isMail ? (
          <Field label={t('templates.subject')} error={err('subject')}>
            {(props) => <input {...props} name="subject" className="field__input" value={subject} onChange={(e) => setSubject(e.target.value)} />}
          </Field>
        ) : null}
        <Field label={t('templates.body')} hint={t('templates.maxLength', { max: template.max_length })} error={err('body')}>
          {(props) => <textarea {...props} name="body" className="field__input" rows={isMail ? 8 : 4} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        {unknown.length > 0 ? (
          <p className="notice notice--error" data-testid="unknown-placeholders">
            {t('templates.unknown', { names: unknown.map((n) => `{${n}}`).join(', ') })}
          </p>
        ) : null}
        <div className="messaging-preview" aria-live="polite" data-testid="template-preview">
          <h3>{t('templates.preview')}</h3>
          {preview.isError ? <p className="messaging-error">{t('templates.previewFailed')}</p> : null}
          {preview.data ? (
            <>
              {preview.data.subject ? <p><strong>{preview.data.subject}</strong></p> : null}
              <p className="messaging-text">{preview.data.text}</p>
              <p className="messaging-muted" data-testid="preview-count">
                {preview.data.segments != null
                  ? t('templates.countSms', { chars: preview.data.characters, segments: preview.data.segments })
                  : t('templates.countMail', { chars: preview.data.characters })}
              </p>
            </>
          ) : null}
        </div>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="template-save">
            {t('templates.save')}
          </button>
          <button type="button" className="button button--secondary" disabled={reset.isPending || template.is_default} onClick={onReset} data-testid="template-reset">
            {t('templates.reset')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('templates.close')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Administrator: the texts of SMS and e-mail, with a live preview and the SMS segment count. */
export function TemplatesPage() {
  const { t, language } = useI18n();
  const templates = useTemplates();
  const [editing, setEditing] = useState<string | null>(null);
  const items = templates.data?.items ?? [];
  const current = items.find((i) => idOf(i) === editing) ?? null;
  const title = t('templates.title');
  return (
    <div data-testid="templates-page">
      <PageHeading title={title}>{title}</PageHeading>
      <p>{t('templates.lead')}</p>
      {current ? <Editor key={editing} template={current} onClose={() => setEditing(null)} /> : null}
      <section className="card" aria-labelledby="templates-title">
        <h2 id="templates-title">{t('templates.list')}</h2>
        {templates.isPending ? <Loading /> : null}
        {templates.isError ? <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} /> : null}
        {items.length > 0 ? (
          <DataTable<MessageTemplate>
            labelledBy="templates-title"
            testId="template-table"
            rows={items}
            rowKey={idOf}
            rowProps={(i) => ({ 'data-testid': 'template-row', 'data-key': idOf(i) })}
            columns={[
              { key: 'kind', header: t('deliveries.kind'), cell: (i) => t(`messaging.kind.${i.kind}`), rowHeader: true },
              { key: 'channel', header: t('deliveries.channel'), cell: (i) => t(`messaging.channel.${i.channel}`) },
              { key: 'language', header: t('templates.language'), cell: (i) => i.language.toUpperCase() },
              { key: 'body', header: t('templates.body'), cell: (i) => <span className="messaging-text">{i.subject ? `${i.subject}: ` : ''}{i.body}</span> },
              {
                key: 'state',
                header: t('templates.state'),
                cell: (i) =>
                  i.is_default ? t('templates.default') : t('templates.changed', { at: i.updated_at ? formatDateTime(i.updated_at, language) : '' }),
              },
              {
                key: 'edit',
                header: t('templates.actions'),
                hiddenHeader: true,
                cell: (i) => (
                  <button type="button" className="button button--small" onClick={() => setEditing(idOf(i))}>
                    {t('templates.edit')}
                    <span className="visually-hidden"> {`${t(`messaging.kind.${i.kind}`)} ${t(`messaging.channel.${i.channel}`)} ${i.language}`}</span>
                  </button>
                ),
              },
            ]}
          />
        ) : null}
      </section>
    </div>
  );
}
