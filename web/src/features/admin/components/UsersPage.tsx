import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { Me, Role } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { NO_ITEMS } from '@/lib/api/keyset';
import { useI18n } from '@/lib/i18n';
import { ROLES } from '@/lib/roles';
import { formatDateTime } from '@/lib/time';
import { useCreateUser, useDeactivateUser, useOrganisations, useUsers } from '../api/users';
import { AdminList, RowButton } from './AdminList';

type FieldName = 'login' | 'name' | 'role' | 'organisation_id' | 'phone' | 'password';
const FIELDS: readonly FieldName[] = ['login', 'name', 'role', 'organisation_id', 'phone', 'password'];

/** The organisation kind each staff role belongs to. */
const ORG_KIND: Partial<Record<Role, string>> = {
  company: 'management_company',
  clerk: 'tos_office',
  dispatcher: 'city_department',
  inspector: 'inspection',
};

function CreateUserForm({ organisations: all }: { organisations: [string, string, string][] }) {
  const { t } = useI18n();
  const create = useCreateUser();
  const [values, setValues] = useState<Record<FieldName, string>>({ login: '', name: '', role: 'company', organisation_id: '', phone: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [created, setCreated] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const needsOrg = values.role !== 'resident' && values.role !== 'admin';
  const kind = ORG_KIND[values.role as Role];
  const organisations = all.filter(([, , k]) => !kind || !k || k === kind);

  function set(field: FieldName, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  }
  const err = (f: FieldName) => errors[f] ?? serverFieldError(create.error, f);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next: Partial<Record<FieldName, string>> = {};
    if (!/^\S+@\S+\.\S+$/.test(values.login.trim())) next.login = t('admin.loginInvalid');
    if (values.name.trim() === '') next.name = t('action.textRequired');
    if (values.password.length < 8) next.password = t('admin.passwordShort');
    if (needsOrg && !values.organisation_id) next.organisation_id = t('admin.orgRequired');
    setErrors(next);
    const first = FIELDS.find((f) => next[f]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    create.mutate(
      {
        login: values.login.trim(),
        name: values.name.trim(),
        role: values.role as Role,
        password: values.password,
        phone: values.phone.trim() === '' ? null : values.phone.trim(),
        organisation_id: values.role === 'resident' || !values.organisation_id ? null : values.organisation_id,
      },
      {
        onSuccess: (user) => {
          setCreated(user.login);
          setValues({ login: '', name: '', role: values.role, organisation_id: values.organisation_id, phone: '', password: '' });
        },
      },
    );
  }

  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit} data-testid="create-user">
      <FormProblem error={create.error} fields={FIELDS} />
      {created ? (
        <p className="notice notice--success" role="status">
          {t('admin.created', { login: created })}
        </p>
      ) : null}
      <div className="form-grid">
        <Field label={t('admin.role')} error={err('role')}>
          {(props) => (
            <select
              {...props}
              name="role"
              className="field__input"
              value={values.role}
              onChange={(e) => {
                set('role', e.target.value);
                set('organisation_id', '');
              }}
            >
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}.name`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.organisation')} hint={needsOrg ? undefined : t('admin.orgOptional')} error={err('organisation_id')}>
          {(props) => (
            <select
              {...props}
              name="organisation_id"
              className="field__input"
              value={values.organisation_id}
              disabled={values.role === 'resident'}
              onChange={(e) => set('organisation_id', e.target.value)}
            >
              <option value="">{t('admin.orgChoose')}</option>
              {organisations.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.name')} error={err('name')}>
          {(props) => <input {...props} name="name" className="field__input" value={values.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label={t('admin.login')} hint={t('admin.loginHint')} error={err('login')}>
          {(props) => (
            <input {...props} name="login" type="email" autoComplete="off" className="field__input" value={values.login} onChange={(e) => set('login', e.target.value)} />
          )}
        </Field>
        <Field label={t('admin.phone')} error={err('phone')}>
          {(props) => <input {...props} name="phone" type="tel" className="field__input" value={values.phone} onChange={(e) => set('phone', e.target.value)} />}
        </Field>
        <Field label={t('admin.password')} hint={t('admin.passwordHint')} error={err('password')}>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="new-password"
              className="field__input"
              value={values.password}
              onChange={(e) => set('password', e.target.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {t('admin.create')}
      </button>
    </form>
  );
}

/** Administrator: the accounts, and a form to create a staff account. */
export function UsersPage({ me }: { me: Me }) {
  const { t, language } = useI18n();
  const users = useUsers();
  const deactivate = useDeactivateUser();
  const items = users.data?.items ?? NO_ITEMS;
  const registry = useOrganisations();
  // The organisations registry; while it loads (or if it fails), those the accounts belong to.
  const organisations = useMemo((): [string, string, string][] => {
    if (registry.data) return registry.data.items.map((o): [string, string, string] => [o.id, o.name, o.kind]).sort((a, b) => a[1].localeCompare(b[1]));
    const map = new Map<string, string>();
    for (const u of items) if (u.organisation) map.set(u.organisation.id, u.organisation.name);
    return [...map.entries()].map(([id, name]): [string, string, string] => [id, name, '']).sort((a, b) => a[1].localeCompare(b[1]));
  }, [items, registry.data]);

  return (
    <div data-testid="admin-users">
      <PageHeading title={t('admin.title')}>{t('admin.title')}</PageHeading>
      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">{t('admin.createTitle')}</h2>
        <CreateUserForm organisations={organisations} />
      </section>
      <AdminList
        id="users-title"
        title={t('admin.listTitle')}
        list={users}
        items={items}
        rowKey={(u) => u.id}
        actionError={deactivate}
        pages={users}
        columns={[
          { key: 'name', header: t('admin.name'), cell: (u) => u.name },
          { key: 'login', header: t('admin.login'), cell: (u) => u.login },
          { key: 'role', header: t('admin.role'), cell: (u) => t(`role.${u.role}.name`) },
          { key: 'org', header: t('admin.organisation'), cell: (u) => u.organisation?.name ?? '—' },
          { key: 'created', header: t('admin.createdAt'), cell: (u) => formatDateTime(u.created_at, language) },
          {
            key: 'state',
            header: t('admin.state'),
            cell: (u) => (
              <>
                {u.is_active ? t('admin.active') : t('admin.inactive')}
                {u.is_active && u.id !== me.id ? (
                  <RowButton
                    label={t('admin.deactivate')}
                    name={u.name}
                    disabled={deactivate.isPending}
                    onClick={() => {
                      if (window.confirm(t('admin.deactivateConfirm', { name: u.name }))) deactivate.mutate(u.id);
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
