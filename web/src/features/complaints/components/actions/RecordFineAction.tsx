import { useState } from 'react';
import { Field } from '@/components/Field';
import { formatMoney } from '@/lib/time';
import { useI18n } from '@/lib/i18n';
import type { Offender } from '@/lib/api/types';
import { useFineArticles } from '@/features/complaints/api/queries';
import { Section, Submit, type ActionProps } from './shared';

const OFFENDERS: readonly Offender[] = ['legal_entity', 'official'];

/**
 * A fine under an article of the Code of Administrative Offences (KoAP) from the register: the inspector picks the article and who
 * is fined, and sees the range the amount must lie in (the server checks it too).
 */
export function RecordFineAction(p: ActionProps) {
  const { t, language } = useI18n();
  const articles = useFineArticles();
  const [code, setCode] = useState('');
  const [offender, setOffender] = useState<Offender>('legal_entity');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; article?: string }>({});
  const article = articles.data?.find((a) => a.code === code);
  const range = article ? article[offender] : undefined;
  return (
    <Section title={t('action.record_fine.title')} testId="action-record_fine">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = Number(amount.replace(/\s/g, ''));
          const next: { amount?: string; article?: string } = {};
          if (!article) next.article = t('action.record_fine.articleRequired');
          if (!Number.isInteger(value) || value < 1) next.amount = t('action.record_fine.amountInvalid');
          else if (range && (value < range.min || value > range.max))
            next.amount = t('action.record_fine.amountOutOfRange', { min: formatMoney(range.min, language), max: formatMoney(range.max, language) });
          setErrors(next);
          if (next.amount || next.article) return;
          p.run('record_fine', { type: 'record_fine', article: code, offender, amount_rub: value });
        }}
      >
        <Field label={t('action.record_fine.article')} error={errors.article ?? p.error('record_fine', 'article')}>
          {(props) => (
            <select
              {...props}
              className="field__input"
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                setErrors({});
              }}
            >
              <option value="">{articles.isPending ? t('app.loading') : t('action.record_fine.chooseArticle')}</option>
              {(articles.data ?? []).map((a) => (
                <option key={a.code} value={a.code}>
                  {t('action.record_fine.articleOption', { code: a.code, title: a.title_ru })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('action.record_fine.offender')}>
          {(props) => (
            <select {...props} className="field__input" value={offender} onChange={(e) => setOffender(e.target.value as Offender)}>
              {OFFENDERS.map((o) => (
                <option key={o} value={o}>
                  {t(`action.record_fine.offender.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('action.record_fine.amount')}
          hint={range ? t('action.record_fine.rangeHint', { min: formatMoney(range.min, language), max: formatMoney(range.max, language) }) : t('action.record_fine.amountHint')}
          error={errors.amount ?? p.error('record_fine', 'amount_rub')}
        >
          {(props) => (
            <input {...props} className="field__input" type="text" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
          )}
        </Field>
        <Submit busy={p.busy('record_fine')}>{t('action.record_fine.submit')}</Submit>
      </form>
    </Section>
  );
}
