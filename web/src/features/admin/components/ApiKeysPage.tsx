import { useMemo, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { CreatedApiKey, Scope } from '@/lib/api/types';
import { otherFieldErrors, serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { formatDateTime } from '@/lib/time';
import { useApiKeys, useCreateApiKey, useOrganisationPages, useRevokeApiKey } from '../api/registries';

const SCOPES: readonly Scope[] = ['complaints:read', 'complaints:create', 'scorecard:read'];

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
  const i18n = useI18n();
  const { t, language } = i18n;
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const orgPages = useOrganisationPages('');
  const orgs = useMemo(() => orgPages.data?.pages.flatMap((p) => p.items) ?? [], [orgPages.data]);
  const [name, setName] = useState('');
  const [orgId, setOrgId] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['complaints:read']);
  const title = t('keys.title');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name: name.trim(), organisation_id: orgId, scopes }, { onSuccess: () => setName('') });
  }
  const other = otherFieldErrors(create.error, ['name', 'organisation_id', 'scopes']);
  return (
    <div data-testid="admin-keys">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="card" aria-labelledby="key-form-title">
        <h2 id="key-form-title">{t('keys.new')}</h2>
        {create.data ? <NewKey created={create.data} /> : null}
        <form className="form" noValidate onSubmit={onSubmit}>
          {create.isError ? (
            <div className="notice notice--error" role="alert">
              <p>{problemMessage(create.error, i18n)}</p>
              {other.length > 0 ? <ul>{other.map((m) => <li key={m}>{m}</li>)}</ul> : null}
            </div>
          ) : null}
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
          </div>
          <fieldset className="fieldset fieldset--plain">
            <legend>{t('keys.scopes')}</legend>
            {SCOPES.map((s) => (
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
      <section className="card" aria-labelledby="key-list-title">
        <h2 id="key-list-title">{title}</h2>
        {keys.isPending ? <Loading /> : null}
        {keys.isError ? <ErrorNotice error={keys.error} onRetry={() => void keys.refetch()} /> : null}
        {revoke.isError ? <ErrorNotice error={revoke.error} /> : null}
        {keys.data && keys.data.length === 0 ? <p>{t('keys.empty')}</p> : null}
        {keys.data && keys.data.length > 0 ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="key-list-title">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('keys.name')}</th>
                  <th scope="col">{t('admin.organisation')}</th>
                  <th scope="col">{t('keys.scopes')}</th>
                  <th scope="col">{t('admin.createdAt')}</th>
                  <th scope="col">{t('admin.state')}</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>{k.organisation.name}</td>
                    <td>{k.scopes.join(', ')}</td>
                    <td>{formatDateTime(k.created_at, language)}</td>
                    <td>
                      {k.revoked_at ? t('keys.revokedAt', { date: formatDateTime(k.revoked_at, language) }) : t('admin.active')}
                      {!k.revoked_at ? (
                        <button
                          type="button"
                          className="button button--small button--danger"
                          disabled={revoke.isPending}
                          onClick={() => {
                            if (window.confirm(t('keys.revokeConfirm', { name: k.name }))) revoke.mutate(k.id);
                          }}
                        >
                          {t('keys.revoke')}
                          <span className="visually-hidden"> {k.name}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
