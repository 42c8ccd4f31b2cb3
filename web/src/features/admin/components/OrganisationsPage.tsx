import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { Organisation, OrganisationKind } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { useCreateOrganisation, useOrganisationPages, useUpdateOrganisation } from '../api/registries';
import { AdminList, RowButton } from './AdminList';
import { SaveButtons, SavedNotice } from './RegistryForm';

export const ORG_KINDS: readonly OrganisationKind[] = ['management_company', 'city_department', 'inspection', 'tos_office'];
const FIELDS = ['kind', 'name', 'inn', 'phone', 'email'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { kind: 'management_company', name: '', inn: '', phone: '', email: '' };
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function OrganisationForm({ editing, onDone }: { editing: Organisation | null; onDone: () => void }) {
  const { t } = useI18n();
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
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="organisation-form">
      <FormProblem error={mutation.error} fields={FIELDS} />
      <SavedNotice name={saved} />
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
      <SaveButtons editing={editing !== null} pending={mutation.isPending} onCancel={onDone} />
    </form>
  );
}

/** Administrator: organisations by kind; create one or edit its name and contacts. */
export function OrganisationsPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<OrganisationKind | ''>('');
  const [editing, setEditing] = useState<Organisation | null>(null);
  const pages = useOrganisationPages(kind);
  const items = pages.data?.items ?? NO_ITEMS;
  const title = t('registry.organisations');
  return (
    <div data-testid="admin-organisations">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="card" aria-labelledby="org-form-title">
        <h2 id="org-form-title">{editing ? t('registry.editing', { name: editing.name }) : t('registry.newOrganisation')}</h2>
        <OrganisationForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      </section>
      <AdminList
        id="org-list-title"
        title={title}
        list={pages}
        items={items}
        rowKey={(o) => o.id}
        pages={pages}
        toolbar={
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
        }
        columns={[
          { key: 'name', header: t('registry.orgName'), cell: (o) => o.name },
          { key: 'kind', header: t('registry.kind'), cell: (o) => t(`orgKind.${o.kind}`) },
          { key: 'inn', header: t('registry.inn'), cell: (o) => o.inn ?? '—' },
          { key: 'contacts', header: t('registry.contacts'), cell: (o) => [o.phone, o.email].filter(Boolean).join(', ') || '—' },
          {
            key: 'actions',
            header: t('registry.actions'),
            hiddenHeader: true,
            cell: (o) => <RowButton label={t('registry.edit')} name={o.name} onClick={() => setEditing(o)} />,
          },
        ]}
      />
    </div>
  );
}
