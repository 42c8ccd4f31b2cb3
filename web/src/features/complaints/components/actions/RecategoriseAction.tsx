import { useMemo, useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { useCategories } from '@/features/complaints/api/queries';
import { Section, Submit, type ActionProps } from './shared';

/** The dispatcher corrects the category a complaint was filed under, with the reason; the company is told. */
export function RecategoriseAction(p: ActionProps) {
  const { t, language } = useI18n();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ category?: string; reason?: string }>({});
  const name = (c: { name_ru: string; name_en: string }) => (language === 'ru' ? c.name_ru : c.name_en);
  const options = useMemo(
    () =>
      (categories.data ?? [])
        .filter((c) => c.id !== p.complaint.category.id)
        .sort((a, b) => (language === 'ru' ? a.name_ru : a.name_en).localeCompare(language === 'ru' ? b.name_ru : b.name_en, language)),
    [categories.data, language, p.complaint.category.id],
  );
  return (
    <Section title={t('action.recategorise.title')} testId="action-recategorise">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const next: { category?: string; reason?: string } = {};
          if (!categoryId) next.category = t('action.recategorise.required');
          if (reason.trim() === '') next.reason = t('action.textRequired');
          setErrors(next);
          if (next.category || next.reason) return;
          p.run('recategorise', { type: 'recategorise', category_id: categoryId, reason: reason.trim() });
        }}
      >
        <p className="muted">{t('action.recategorise.text', { current: name(p.complaint.category) })}</p>
        <Field label={t('action.recategorise.category')} error={errors.category ?? p.error('recategorise', 'category_id')}>
          {(props) => (
            <select
              {...props}
              className="field__input"
              value={categoryId}
              data-testid="recategorise-category"
              onChange={(e) => {
                setCategoryId(e.target.value);
                setErrors((old) => ({ ...old, category: undefined }));
              }}
            >
              <option value="">{categories.isPending ? t('app.loading') : t('action.recategorise.choose')}</option>
              {options.map((c) => (
                <option key={c.id} value={c.id}>
                  {name(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('action.recategorise.reason')} error={errors.reason ?? p.error('recategorise', 'reason')}>
          {(props) => <textarea {...props} className="field__input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Submit busy={p.busy('recategorise')} tone="secondary">
          {t('action.recategorise.submit')}
        </Submit>
      </form>
    </Section>
  );
}
