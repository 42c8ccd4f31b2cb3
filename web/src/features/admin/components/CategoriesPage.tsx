import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { AdminCategory, DeadlineUnit } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { deadlineInWords } from '@/lib/time';
import { useAdminCategories, useCreateCategory, useUpdateCategory } from '../api/registries';
import { AdminList, RowButton } from './AdminList';
import { SaveButtons, SavedNotice } from './RegistryForm';

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
  const { t } = useI18n();
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
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="category-form">
      <FormProblem error={mutation.error} fields={FIELDS} />
      <SavedNotice name={saved} testId="category-saved" />
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
      <SaveButtons editing={editing !== null} pending={mutation.isPending} onCancel={onDone} />
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
      <AdminList
        id="cat-list-title"
        title={title}
        list={categories}
        items={categories.data ?? NO_ITEMS}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-testid': 'category-row', 'data-code': c.code })}
        tableTestId="category-table"
        columns={[
          {
            key: 'name',
            header: t('registry.nameCol'),
            cell: (c) => (
              <>
                {language === 'ru' ? c.name_ru : c.name_en}
                {c.emergency ? <span className="badge badge--emergency">{t('complaint.emergency')}</span> : null}
              </>
            ),
          },
          { key: 'code', header: t('registry.code'), cell: (c) => <code>{c.code}</code> },
          { key: 'deadline', header: t('registry.deadline'), cell: (c) => deadlineInWords(c.deadline, i18n) },
          { key: 'state', header: t('admin.state'), cell: (c) => (c.is_active ? t('admin.active') : t('registry.inactive')) },
          {
            key: 'actions',
            header: t('registry.actions'),
            hiddenHeader: true,
            cell: (c) => <RowButton label={t('registry.edit')} name={c.code} onClick={() => setEditing(c)} />,
          },
        ]}
      />
    </div>
  );
}
