import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { AdminCategory, DeadlineUnit } from '@/lib/api/types';
import { otherFieldErrors, serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { deadlineInWords } from '@/lib/time';
import { useAdminCategories, useCreateCategory, useUpdateCategory } from '../api/registries';

const UNITS: readonly DeadlineUnit[] = ['hours', 'working_days', 'calendar_days'];
const FIELDS = ['code', 'name_ru', 'name_en', 'legal_basis', 'deadline', 'deadline.value', 'deadline.unit', 'emergency', 'is_active'];
interface Values {
  code: string;
  name_ru: string;
  name_en: string;
  legal_basis: string;
  unit: DeadlineUnit;
  value: string;
  emergency: boolean;
  is_active: boolean;
}
const EMPTY: Values = { code: '', name_ru: '', name_en: '', legal_basis: '', unit: 'working_days', value: '10', emergency: false, is_active: true };

function CategoryForm({ editing, onDone }: { editing: AdminCategory | null; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const mutation = editing ? update : create;
  const [v, setV] = useState<Values>(
    editing
      ? {
          code: editing.code,
          name_ru: editing.name_ru,
          name_en: editing.name_en,
          legal_basis: editing.legal_basis ?? '',
          unit: editing.deadline.unit as DeadlineUnit,
          value: String(editing.deadline.value),
          emergency: editing.emergency,
          is_active: editing.is_active,
        }
      : EMPTY,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof Values>(f: K, value: Values[K]) => setV((old) => ({ ...old, [f]: value }));
  const err = (...f: string[]) => serverFieldError(mutation.error, ...f);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const deadline = { unit: v.unit, value: Number.parseInt(v.value, 10) || 0 };
    const legal_basis = v.legal_basis.trim() === '' ? null : v.legal_basis.trim();
    const done = (c: AdminCategory) => {
      setSaved(c.name_ru);
      if (!editing) setV(EMPTY);
      onDone();
    };
    if (editing)
      update.mutate(
        { id: editing.id, body: { name_ru: v.name_ru.trim(), name_en: v.name_en.trim(), legal_basis, deadline, emergency: v.emergency, is_active: v.is_active } },
        { onSuccess: done },
      );
    else create.mutate({ code: v.code.trim(), name_ru: v.name_ru.trim(), name_en: v.name_en.trim(), legal_basis, deadline, emergency: v.emergency }, { onSuccess: done });
  }
  const other = otherFieldErrors(mutation.error, FIELDS);
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="category-form">
      {mutation.isError ? (
        <div className="notice notice--error" role="alert">
          <p>{problemMessage(mutation.error, i18n)}</p>
          {other.length > 0 ? <ul>{other.map((m) => <li key={m}>{m}</li>)}</ul> : null}
        </div>
      ) : null}
      {saved ? (
        <p className="notice notice--success" role="status" data-testid="category-saved">
          {t('registry.saved', { name: saved })}
        </p>
      ) : null}
      <div className="form-grid">
        <Field label={t('registry.code')} hint={t('registry.codeHint')} error={err('code')}>
          {(props) => <input {...props} name="code" className="field__input" value={v.code} disabled={editing !== null} onChange={(e) => set('code', e.target.value)} />}
        </Field>
        <Field label={t('registry.nameRu')} error={err('name_ru')}>
          {(props) => <input {...props} name="name_ru" className="field__input" value={v.name_ru} onChange={(e) => set('name_ru', e.target.value)} />}
        </Field>
        <Field label={t('registry.nameEn')} error={err('name_en')}>
          {(props) => <input {...props} name="name_en" className="field__input" value={v.name_en} onChange={(e) => set('name_en', e.target.value)} />}
        </Field>
        <Field label={t('registry.legalBasis')} error={err('legal_basis')}>
          {(props) => <input {...props} className="field__input" value={v.legal_basis} onChange={(e) => set('legal_basis', e.target.value)} />}
        </Field>
        <Field label={t('registry.deadlineValue')} error={err('deadline.value', 'deadline')}>
          {(props) => (
            <input {...props} name="deadline_value" type="number" min={1} max={8760} className="field__input" value={v.value} onChange={(e) => set('value', e.target.value)} />
          )}
        </Field>
        <Field label={t('registry.deadlineUnit')} error={err('deadline.unit')}>
          {(props) => (
            <select {...props} name="deadline_unit" className="field__input" value={v.unit} onChange={(e) => set('unit', e.target.value as DeadlineUnit)}>
              {UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(`registry.unit.${u}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={v.emergency} onChange={(e) => set('emergency', e.target.checked)} />
        <span>{t('registry.emergency')}</span>
      </label>
      {editing ? (
        <label className="checkbox">
          <input type="checkbox" checked={v.is_active} onChange={(e) => set('is_active', e.target.checked)} />
          <span>{t('registry.active')}</span>
        </label>
      ) : null}
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

/** Administrator: every category, inactive ones too; create one, change its deadline, urgency, state. */
export function CategoriesPage() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const categories = useAdminCategories();
  const [editing, setEditing] = useState<AdminCategory | null>(null);
  const title = t('registry.categories');
  return (
    <div data-testid="admin-categories">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="card" aria-labelledby="cat-form-title">
        <h2 id="cat-form-title">{editing ? t('registry.editing', { name: editing.name_ru }) : t('registry.newCategory')}</h2>
        <CategoryForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      </section>
      <section className="card" aria-labelledby="cat-list-title">
        <h2 id="cat-list-title">{title}</h2>
        {categories.isPending ? <Loading /> : null}
        {categories.isError ? <ErrorNotice error={categories.error} onRetry={() => void categories.refetch()} /> : null}
        {categories.data ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cat-list-title">
            <table className="table" data-testid="category-table">
              <thead>
                <tr>
                  <th scope="col">{t('registry.nameCol')}</th>
                  <th scope="col">{t('registry.code')}</th>
                  <th scope="col">{t('registry.deadline')}</th>
                  <th scope="col">{t('admin.state')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('registry.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {categories.data.map((c) => (
                  <tr key={c.id} data-testid="category-row" data-code={c.code}>
                    <td>
                      {language === 'ru' ? c.name_ru : c.name_en}
                      {c.emergency ? <span className="badge badge--emergency">{t('complaint.emergency')}</span> : null}
                    </td>
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td>{deadlineInWords(c.deadline, i18n)}</td>
                    <td>{c.is_active ? t('admin.active') : t('registry.inactive')}</td>
                    <td>
                      <button type="button" className="button button--small" onClick={() => setEditing(c)}>
                        {t('registry.edit')}
                        <span className="visually-hidden"> {c.code}</span>
                      </button>
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
