import { useState } from 'react';
import { Field } from '@/components/Field';
import { useI18n } from '@/lib/i18n';
import { useBoardCompanies } from '@/features/complaints/hooks/useBoardCompanies';
import { Section, Submit, type ActionProps } from './shared';

export function RerouteAction(p: ActionProps) {
  const { t } = useI18n();
  // No organisations endpoint yet: the companies are those seen on the control board.
  const board = useBoardCompanies();
  const companies = board.companies.filter(([id]) => id !== p.complaint.company?.id);
  const [companyId, setCompanyId] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <Section title={t('action.reroute.title')} testId="action-reroute">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!companyId) return setMissing(true);
          p.run('reroute', { type: 'reroute', company_id: companyId });
        }}
      >
        <Field label={t('action.reroute.company')} error={missing ? t('action.reroute.required') : p.error('reroute', 'company_id')}>
          {(props) => (
            <select
              {...props}
              className="field__input"
              value={companyId}
              onChange={(e) => {
                setCompanyId(e.target.value);
                setMissing(false);
              }}
            >
              <option value="">{board.isPending ? t('app.loading') : t('action.reroute.choose')}</option>
              {companies.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Submit busy={p.busy('reroute')}>{t('action.reroute.submit')}</Submit>
      </form>
    </Section>
  );
}
