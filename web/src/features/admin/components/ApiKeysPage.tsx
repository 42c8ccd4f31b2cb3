import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { CreatedApiKey, Scope } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { cityLocalToIso, formatDateTime } from '@/lib/time';
import { useApiKeys, useCreateApiKey, useOrganisationPages, useRevokeApiKey, useRotateApiKey } from '../api/registries';
import { AdminList, RowButton } from './AdminList';

const NO_SCOPES: readonly Scope[] = [];

function NewKey({ created }: { created: CreatedApiKey }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice notice--success" role="status" data-testid="new-key">
      <p className="notice__title">{t('keys.createdOnce')}</p>
      <p>
        <code className="secret" data-testid="new-key-value">
          {created.key}
        </code>
      </p>
      <button
        type="button"
        className="button button--small"
        onClick={() => void navigator.clipboard?.writeText(created.key).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? t('keys.copied') : t('keys.copy')}
      </button>
    </div>
  );
}

/** Administrator: integration keys; a new key is shown once, with a copy button; revoke. */
export function ApiKeysPage() {
  const { t, language } = useI18n();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const rotate = useRotateApiKey();
  const orgPages = useOrganisationPages('');
  const orgs = orgPages.data?.items ?? NO_ITEMS;
  const [name, setName] = useState('');
  const [orgId, setOrgId] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['complaints:read']);
  const [expires, setExpires] = useState('');
  const [rateLimit, setRateLimit] = useState('');
  const title = t('keys.title');
  // What the server says a key of the chosen organisation may be granted.
  const grantable = orgs.find((o) => o.id === orgId)?.grantable_scopes ?? NO_SCOPES;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const limit = Number.parseInt(rateLimit, 10);
    create.mutate(
      {
        name: name.trim(),
        organisation_id: orgId,
        scopes: scopes.filter((s) => grantable.includes(s)),
        expires_at: expires ? cityLocalToIso(expires) : null,
        rate_limit_per_minute: Number.isFinite(limit) ? limit : null,
      },
      { onSuccess: () => setName('') },
    );
  }
  return (
    <div data-testid="admin-keys">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="card" aria-labelledby="key-form-title">
        <h2 id="key-form-title">{t('keys.new')}</h2>
        {create.data ? <NewKey created={create.data} /> : null}
        {rotate.data ? <NewKey created={rotate.data} /> : null}
        <form className="form" noValidate onSubmit={onSubmit}>
          <FormProblem error={create.error} fields={['name', 'organisation_id', 'scopes', 'expires_at', 'rate_limit_per_minute']} />
          <div className="form-grid">
            <Field label={t('keys.name')} error={serverFieldError(create.error, 'name')}>
              {(props) => <input {...props} className="field__input" value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
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
            <Field label={t('keys.expires')} hint={t('keys.expiresHint')} error={serverFieldError(create.error, 'expires_at')}>
              {(props) => <input {...props} className="field__input" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />}
            </Field>
            <Field label={t('keys.rateLimit')} hint={t('keys.rateLimitHint')} error={serverFieldError(create.error, 'rate_limit_per_minute')}>
              {(props) => <input {...props} className="field__input" type="number" min={1} max={100000} value={rateLimit} onChange={(e) => setRateLimit(e.target.value)} />}
            </Field>
          </div>
          <fieldset className="fieldset fieldset--plain">
            <legend>{t('keys.scopes')}</legend>
            {orgId ? null : <p className="muted">{t('keys.scopesAfterOrg')}</p>}
            {grantable.map((s) => (
              <label key={s} className="checkbox">
                <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((old) => (e.target.checked ? [...old, s] : old.filter((x) => x !== s)))} />
                <span>
                  {t(`keys.scope.${s}`)} <code>{s}</code>
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button--primary" disabled={create.isPending || !orgId}>
            {t('keys.create')}
          </button>
        </form>
      </section>
      <AdminList
        id="key-list-title"
        title={title}
        list={keys}
        items={keys.data ?? NO_ITEMS}
        rowKey={(k) => k.id}
        actionError={revoke}
        empty={t('keys.empty')}
        columns={[
          { key: 'name', header: t('keys.name'), cell: (k) => k.name },
          { key: 'org', header: t('admin.organisation'), cell: (k) => k.organisation.name },
          { key: 'scopes', header: t('keys.scopes'), cell: (k) => k.scopes.join(', ') },
          { key: 'expires', header: t('keys.expires'), cell: (k) => (k.expires_at ? formatDateTime(k.expires_at, language) : t('keys.never')) },
          { key: 'created', header: t('admin.createdAt'), cell: (k) => formatDateTime(k.created_at, language) },
          {
            key: 'state',
            header: t('admin.state'),
            cell: (k) => (
              <>
                {k.revoked_at ? t('keys.revokedAt', { date: formatDateTime(k.revoked_at, language) }) : t('admin.active')}
                {!k.revoked_at && k.previous_valid_until ? (
                  <span className="muted"> {t('keys.previousUntil', { date: formatDateTime(k.previous_valid_until, language) })}</span>
                ) : null}
                {!k.revoked_at ? (
                  <RowButton
                    label={t('keys.rotate')}
                    name={k.name}
                    disabled={rotate.isPending}
                    onClick={() => {
                      if (window.confirm(t('keys.rotateConfirm', { name: k.name }))) rotate.mutate({ id: k.id, graceMinutes: 60 });
                    }}
                  />
                ) : null}
                {!k.revoked_at ? (
                  <RowButton
                    label={t('keys.revoke')}
                    name={k.name}
                    danger
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(t('keys.revokeConfirm', { name: k.name }))) revoke.mutate(k.id);
                    }}
                  />
                ) : null}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
