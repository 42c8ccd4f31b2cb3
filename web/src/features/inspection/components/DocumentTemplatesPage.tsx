import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { DocumentTemplate } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useDocumentTemplates, useSaveDocumentTemplate } from '../api/templates';

function TemplateForm({ template }: { template: DocumentTemplate }) {
  const { t, language } = useI18n();
  const [body, setBody] = useState(template.body);
  const save = useSaveDocumentTemplate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ kind: template.kind, body });
  };
  const fieldError = serverFieldError(save.error, 'body');
  return (
    <form className="card" onSubmit={submit} data-testid={`template-${template.kind}`}>
      <h2>{t(`docTemplates.kind.${template.kind}`)}</h2>
      <p className="muted">{template.updated_at ? t('docTemplates.updated', { at: formatDateTime(template.updated_at, language) }) : t('docTemplates.default')}</p>
      <Field label={t('docTemplates.body')} error={fieldError}>
        {(props) => <textarea {...props} className="field__input" rows={18} name="body" value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      {save.isError && !fieldError ? <ErrorNotice error={save.error} /> : null}
      {save.isSuccess ? <p role="status">{t('docTemplates.saved')}</p> : null}
      <button type="submit" className="button" disabled={save.isPending}>
        {t('docTemplates.save')}
      </button>
    </form>
  );
}

/** Administrator: the text of the printed order and act, with the placeholders they may use. */
export function DocumentTemplatesPage() {
  const { t } = useI18n();
  const templates = useDocumentTemplates();
  const placeholders = templates.data?.[0]?.placeholders ?? [];
  return (
    <div data-testid="document-templates-page">
      <PageHeading title={t('docTemplates.title')}>{t('docTemplates.title')}</PageHeading>
      <p className="lead">{t('docTemplates.lead')}</p>
      {templates.isPending ? <Loading /> : null}
      {templates.isError ? <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} /> : null}
      {placeholders.length > 0 ? (
        <section className="card" aria-labelledby="placeholders-heading">
          <h2 id="placeholders-heading">{t('docTemplates.placeholders')}</h2>
          <ul>
            {placeholders.map((p) => (
              <li key={p.name}>
                <code>{`{${p.name}}`}</code> — {t(`docTemplates.placeholder.${p.name}` as MessageKey) || p.description}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {(templates.data ?? []).map((template) => (
        <TemplateForm key={`${template.kind}-${template.updated_at ?? ''}`} template={template} />
      ))}
    </div>
  );
}
