import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { FineArticle } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { formatMoney } from '@/lib/time';
import { useAdminFineArticles, useSaveFineArticle } from '../api/registries';
import { RowButton } from './AdminList';
import { SaveButtons, SavedNotice } from './RegistryForm';

const FIELDS = ['code', 'title_ru', 'legal_entity', 'legal_entity.min', 'legal_entity.max', 'official', 'official.min', 'official.max', 'is_active'];
interface Values {
  code: string;
  title_ru: string;
  legalMin: string;
  legalMax: string;
  officialMin: string;
  officialMax: string;
  is_active: boolean;
}
const EMPTY: Values = { code: '', title_ru: '', legalMin: '', legalMax: '', officialMin: '', officialMax: '', is_active: true };
const whole = (s: string) => Number.parseInt(s.replace(/\s/g, ''), 10) || 0;

function ArticleForm({ editing, onDone }: { editing: FineArticle | null; onDone: () => void }) {
  const { t } = useI18n();
  const save = useSaveFineArticle();
  const [v, setV] = useState<Values>(
    editing
      ? {
          code: editing.code,
          title_ru: editing.title_ru,
          legalMin: String(editing.legal_entity.min),
          legalMax: String(editing.legal_entity.max),
          officialMin: String(editing.official.min),
          officialMax: String(editing.official.max),
          is_active: editing.is_active,
        }
      : EMPTY,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const set = <K extends keyof Values>(f: K, value: Values[K]) => setV((old) => ({ ...old, [f]: value }));
  const err = (...f: string[]) => serverFieldError(save.error, ...f);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      {
        code: v.code.trim(),
        body: {
          title_ru: v.title_ru.trim(),
          legal_entity: { min: whole(v.legalMin), max: whole(v.legalMax) },
          official: { min: whole(v.officialMin), max: whole(v.officialMax) },
          is_active: v.is_active,
        },
      },
      {
        onSuccess: (a) => {
          setSaved(a.code);
          if (!editing) setV(EMPTY);
          onDone();
        },
      },
    );
  }
  const money = (label: string, f: keyof Values, field: string) => (
    <Field label={label} error={err(field)}>
      {(props) => <input {...props} className="field__input" inputMode="numeric" value={v[f] as string} onChange={(e) => set(f, e.target.value)} />}
    </Field>
  );
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="fine-article-form">
      <FormProblem error={save.error} fields={FIELDS} />
      <SavedNotice name={saved} testId="fine-article-saved" />
      <div className="form-grid">
        <Field label={t('fines.code')} hint={t('fines.codeHint')} error={err('code')}>
          {(props) => <input {...props} className="field__input" value={v.code} disabled={editing !== null} onChange={(e) => set('code', e.target.value)} />}
        </Field>
        <Field label={t('fines.titleRu')} error={err('title_ru')}>
          {(props) => <input {...props} className="field__input" value={v.title_ru} onChange={(e) => set('title_ru', e.target.value)} />}
        </Field>
        {money(t('fines.legalMin'), 'legalMin', 'legal_entity')}
        {money(t('fines.legalMax'), 'legalMax', 'legal_entity')}
        {money(t('fines.officialMin'), 'officialMin', 'official')}
        {money(t('fines.officialMax'), 'officialMax', 'official')}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={v.is_active} onChange={(e) => set('is_active', e.target.checked)} />
        <span>{t('fines.active')}</span>
      </label>
      <SaveButtons editing={editing !== null} pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

/** Administrator: the register of articles of the Code of Administrative Offences and the fines each allows. */
export function FineArticlesPage() {
  const { t, language } = useI18n();
  const articles = useAdminFineArticles();
  const [editing, setEditing] = useState<FineArticle | null>(null);
  const title = t('fines.title');
  const range = (r: { min: number; max: number }) => `${formatMoney(r.min, language)} – ${formatMoney(r.max, language)}`;
  return (
    <div data-testid="admin-fine-articles">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('fines.lead')}</p>
      <section className="card" aria-labelledby="fine-form-title">
        <h2 id="fine-form-title">{editing ? t('fines.editing', { code: editing.code }) : t('fines.new')}</h2>
        <ArticleForm key={editing?.code ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      </section>
      {articles.isPending && <p>{t('app.loading')}</p>}
      {articles.data && (
        <table className="table" data-testid="fine-article-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fines.code')}</th>
              <th scope="col">{t('fines.titleRu')}</th>
              <th scope="col">{t('fines.legalEntity')}</th>
              <th scope="col">{t('fines.official')}</th>
              <th scope="col">{t('fines.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('fines.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {articles.data.map((a) => (
              <tr key={a.code} data-testid="fine-article-row" data-code={a.code}>
                <td>{a.code}</td>
                <td>{a.title_ru}</td>
                <td>{range(a.legal_entity)}</td>
                <td>{range(a.official)}</td>
                <td>{a.is_active ? t('fines.activeState') : t('fines.inactiveState')}</td>
                <td>
                  <RowButton label={t('fines.edit')} name={a.code} onClick={() => setEditing(a)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
