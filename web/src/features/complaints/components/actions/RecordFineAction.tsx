import { useId, useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { Section, Submit, type ActionProps } from './shared';

/** Suggested legal bases of a fine (Russian law: the same citation in both languages). */
export const LEGAL_BASES = ['fine.basis.19_5_1', 'fine.basis.7_22', 'fine.basis.7_23'] as const satisfies readonly MessageKey[];

export function RecordFineAction(p: ActionProps) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [basis, setBasis] = useState<string>(() => t(LEGAL_BASES[0]));
  const [errors, setErrors] = useState<{ amount?: string; basis?: string }>({});
  const listId = useId();
  return (
    <Section title={t('action.record_fine.title')} testId="action-record_fine">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = Number(amount.replace(/\s/g, ''));
          const next: { amount?: string; basis?: string } = {};
          if (!Number.isInteger(value) || value < 1) next.amount = t('action.record_fine.amountInvalid');
          if (basis.trim() === '') next.basis = t('action.textRequired');
          setErrors(next);
          if (next.amount || next.basis) return;
          p.run('record_fine', { type: 'record_fine', amount_rub: value, legal_basis: basis.trim() });
        }}
      >
        <Field label={t('action.record_fine.amount')} hint={t('action.record_fine.amountHint')} error={errors.amount ?? p.error('record_fine', 'amount_rub')}>
          {(props) => (
            <input {...props} className="field__input" type="text" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
          )}
        </Field>
        <Field label={t('action.record_fine.basis')} hint={t('action.record_fine.basisHint')} error={errors.basis ?? p.error('record_fine', 'legal_basis')}>
          {(props) => (
            <>
              <input {...props} className="field__input" type="text" list={listId} value={basis} onChange={(e) => setBasis(e.target.value)} />
              <datalist id={listId}>
                {LEGAL_BASES.map((b) => (
                  <option key={b} value={t(b)} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Submit busy={p.busy('record_fine')}>{t('action.record_fine.submit')}</Submit>
      </form>
    </Section>
  );
}
