import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { EventType, Webhook } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useOrganisationPages } from '../api/registries';
import { useCreateWebhook, useWebhookEventTypes, useWebhooks } from '../api/webhooks';
import { eventTypeKey, summariseEventTypes, toggleEventType } from '../webhooks';
import { AdminList } from './AdminList';
import { SecretNotice } from './SecretNotice';
import { WebhookState } from './WebhookState';

const FIELDS = ['organisation_id', 'url', 'description', 'event_types'];

function CreateForm() {
  const { t } = useI18n();
  const create = useCreateWebhook();
  const eventTypes = useWebhookEventTypes();
  const all = eventTypes.data ?? NO_ITEMS;
  const orgPages = useOrganisationPages('');
  const orgs = orgPages.data?.items ?? NO_ITEMS;
  const [orgId, setOrgId] = useState('');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [selected, setSelected] = useState<EventType[]>([]);
  const typesError = serverFieldError(create.error, 'event_types');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { organisation_id: orgId || null, url: url.trim(), description: description.trim() || null, event_types: selected },
      {
        onSuccess: () => {
          setUrl('');
          setDescription('');
        },
      },
    );
  }

  return (
    <section className="card" aria-labelledby="webhook-form-title">
      <h2 id="webhook-form-title">{t('webhooks.new')}</h2>
      {create.data ? (
        <>
          <SecretNotice secret={create.data.secret} title="webhooks.secret.createdOnce" />
          <p>
            <Link to={`/admin/webhooks/${create.data.id}`} data-testid="webhook-created-link">
              {t('webhooks.secret.open')}: {create.data.url}
            </Link>
          </p>
        </>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} data-testid="webhook-form">
        <FormProblem error={create.error} fields={FIELDS} />
        <div className="form-grid">
          <Field label={t('admin.organisation')} error={serverFieldError(create.error, 'organisation_id')}>
            {(props) => (
              <select {...props} className="field__input" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
                <option value="">{t('admin.orgChoose')}</option>
                {orgs.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={serverFieldError(create.error, 'url')}>
            {(props) => (
              <input {...props} className="field__input" type="url" inputMode="url" autoComplete="url" value={url} onChange={(e) => setUrl(e.target.value)} />
            )}
          </Field>
          <Field label={t('webhooks.description')} hint={t('webhooks.descriptionHint')} error={serverFieldError(create.error, 'description')}>
            {(props) => <input {...props} className="field__input" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
        </div>
        <fieldset
          className={`fieldset webhook-types${typesError ? ' field--invalid' : ''}`}
          aria-describedby={typesError ? 'webhook-types-error webhook-types-hint' : 'webhook-types-hint'}
          data-testid="webhook-event-types"
        >
          <legend>{t('webhooks.eventTypes')}</legend>
          <p id="webhook-types-hint" className="field__hint">
            {t('webhooks.eventTypesHint')}
          </p>
          {typesError ? (
            <p id="webhook-types-error" className="field__error">
              {typesError}
            </p>
          ) : null}
          <div className="button-row">
            <button type="button" className="button button--secondary" onClick={() => setSelected([...all])}>
              {t('webhooks.selectAll')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setSelected([])}>
              {t('webhooks.selectNone')}
            </button>
          </div>
          <div className="webhook-types__grid">
            {all.map((type) => (
              <label key={type} className="checkbox">
                <input type="checkbox" checked={selected.includes(type)} onChange={(e) => setSelected((old) => toggleEventType(old, type, e.target.checked, all))} />
                <span>
                  {t(eventTypeKey(type))} <code className="webhook-types__code">{type}</code>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {t('webhooks.create')}
        </button>
      </form>
    </section>
  );
}

/** Administrator: webhook subscriptions of every organisation; a new one shows its secret once. */
export function WebhooksPage() {
  const { t, language } = useI18n();
  const list = useWebhooks();
  const title = t('webhooks.title');
  return (
    <div data-testid="admin-webhooks">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('webhooks.intro')}</p>
      <CreateForm />
      <AdminList<Webhook>
        id="webhook-list-title"
        title={t('webhooks.list')}
        list={list}
        items={list.data ?? NO_ITEMS}
        rowKey={(w) => w.id}
        rowProps={(w) => ({ 'data-testid': 'webhook-row', 'data-id': w.id, 'data-enabled': String(w.enabled) })}
        tableTestId="webhook-table"
        empty={t('webhooks.empty')}
        columns={[
          {
            key: 'url',
            header: t('webhooks.url'),
            rowHeader: true,
            cell: (w) => (
              <>
                <Link to={`/admin/webhooks/${w.id}`} className="webhook-url">
                  {w.url}
                </Link>
                {w.description ? <span className="muted webhook-note">{w.description}</span> : null}
              </>
            ),
          },
          { key: 'org', header: t('admin.organisation'), cell: (w) => w.organisation.name },
          { key: 'events', header: t('webhooks.eventTypes'), cell: (w) => summariseEventTypes(w.event_types, t) },
          { key: 'state', header: t('webhooks.state'), cell: (w) => <WebhookState webhook={w} /> },
          {
            key: 'failing',
            header: t('webhooks.failingSinceLabel'),
            cell: (w) => (w.failing_since ? formatDateTime(w.failing_since, language) : '—'),
          },
        ]}
      />
    </div>
  );
}
