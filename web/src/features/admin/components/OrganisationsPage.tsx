import { useMemo, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { Organisation, OrganisationKind } from '@/lib/api/types';
import { otherFieldErrors, serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { useCreateOrganisation, useOrganisationPages, useUpdateOrganisation } from '../api/registries';

export const ORG_KINDS: readonly OrganisationKind[] = ['management_company', 'city_department', 'inspection', 'tos_office'];
const FIELDS = ['kind', 'name', 'inn', 'phone', 'email'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { kind: 'management_company', name: '', inn: '', phone: '', email: '' };
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function OrganisationForm({ editing, onDone }: { editing: Organisation | null; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const create = useCreateOrganisation();
  const update = useUpdateOrganisation();
  const mutation = editing ? update : create;
  const [values, setValues] = useState<Values>(
    editing ? { kind: editing.kind, name: editing.name, inn: editing.inn ?? '', phone: editing.phone ?? '', email: editing.email ?? '' } : EMPTY,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const set = (f: keyof Values, v: string) => setValues((old) => ({ ...old, [f]: v }));
  const err = (f: keyof Values) => (f === 'name' && missing ? t('action.textRequired') : serverFieldError(mutation.error, f));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (values.name.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    const done = (o: Organisation) => {
      setSaved(o.name);
      if (!editing) setValues(EMPTY);
      onDone();
    };
    if (editing) update.mutate({ id: editing.id, body: { name: values.name.trim(), phone: orNull(values.phone), email: orNull(values.email) } }, { onSuccess: done });
    else
      create.mutate(
        { kind: values.kind as OrganisationKind, name: values.name.trim(), inn: orNull(values.inn), phone: orNull(values.phone), email: orNull(values.email) },
        { onSuccess: done },
      );
  }
  const other = otherFieldErrors(mutation.error, FIELDS);
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="organisation-form">
      {mutation.isError ? (
        <div className="notice notice--error" role="alert">
          <p>{problemMessage(mutation.error, i18n)}</p>
          {other.length > 0 ? <ul>{other.map((m) => <li key={m}>{m}</li>)}</ul> : null}
        </div>
      ) : null}
      {saved ? (
        <p className="notice notice--success" role="status">
          {t('registry.saved', { name: saved })}
        </p>
      ) : null}
      <div className="form-grid">
        <Field label={t('registry.kind')} error={err('kind')}>
          {(props) => (
            <select {...props} className="field__input" value={values.kind} disabled={editing !== null} onChange={(e) => set('kind', e.target.value)}>
              {ORG_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`orgKind.${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('registry.orgName')} error={err('name')}>
          {(props) => <input {...props} className="field__input" value={values.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label={t('registry.inn')} hint={t('registry.innHint')} error={err('inn')}>
          {(props) => (
            <input {...props} className="field__input" inputMode="numeric" value={values.inn} disabled={editing !== null} onChange={(e) => set('inn', e.target.value)} />
          )}
        </Field>
        <Field label={t('admin.phone')} error={err('phone')}>
          {(props) => <input {...props} type="tel" className="field__input" value={values.phone} onChange={(e) => set('phone', e.target.value)} />}
        </Field>
        <Field label={t('registry.email')} error={err('email')}>
          {(props) => <input {...props} type="email" className="field__input" value={values.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
      </div>
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={mutation.isPending}>
          {editing ? t('registry.save') : t('admin.create')}
        </button>
        {editing ? (
          <button type="button" className="button button--secondary" onClick={onDone}>
            {t('registry.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** Administrator: organisations by kind; create one or edit its name and contacts. */
export function OrganisationsPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<OrganisationKind | ''>('');
  const [editing, setEditing] = useState<Organisation | null>(null);
  const pages = useOrganisationPages(kind);
  const items = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const title = t('registry.organisations');
  return (
    <div data-testid="admin-organisations">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="card" aria-labelledby="org-form-title">
        <h2 id="org-form-title">{editing ? t('registry.editing', { name: editing.name }) : t('registry.newOrganisation')}</h2>
        <OrganisationForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      </section>
      <section className="card" aria-labelledby="org-list-title">
        <h2 id="org-list-title">{title}</h2>
        <div className="toolbar">
          <Field label={t('registry.kindFilter')}>
            {(props) => (
              <select {...props} className="field__input" value={kind} onChange={(e) => setKind(e.target.value as OrganisationKind | '')} data-testid="org-kind-filter">
                <option value="">{t('registry.allKinds')}</option>
                {ORG_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`orgKind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {pages.isPending ? <Loading /> : null}
        {pages.isError ? <ErrorNotice error={pages.error} onRetry={() => void pages.refetch()} /> : null}
        {items.length > 0 ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="org-list-title">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('registry.orgName')}</th>
                  <th scope="col">{t('registry.kind')}</th>
                  <th scope="col">{t('registry.inn')}</th>
                  <th scope="col">{t('registry.contacts')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('registry.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((o) => (
                  <tr key={o.id}>
                    <td>{o.name}</td>
                    <td>{t(`orgKind.${o.kind}`)}</td>
                    <td>{o.inn ?? '—'}</td>
                    <td>{[o.phone, o.email].filter(Boolean).join(', ') || '—'}</td>
                    <td>
                      <button type="button" className="button button--small" onClick={() => setEditing(o)}>
                        {t('registry.edit')}
                        <span className="visually-hidden"> {o.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {pages.hasNextPage ? (
          <button type="button" className="button button--secondary" onClick={() => void pages.fetchNextPage()}>
            {t('list.more')}
          </button>
        ) : null}
      </section>
    </div>
  );
}
