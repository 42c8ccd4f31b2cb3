import { useState } from 'react';
import { useI18n } from '@/lib/i18n';
import { CompanyPicker, type PickedCompany } from '@/components/CompanyPicker';
import { Section, Submit, type ActionProps } from './shared';

export function RerouteAction(p: ActionProps) {
  const { t } = useI18n();
  const [company, setCompany] = useState<PickedCompany | null>(null);
  const [missing, setMissing] = useState(false);
  return (
    <Section title={t('action.reroute.title')} testId="action-reroute">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!company) return setMissing(true);
          p.run('reroute', { type: 'reroute', company_id: company.id });
        }}
      >
        <CompanyPicker
          label={t('action.reroute.company')}
          value={company}
          excludeId={p.complaint.company?.id}
          testId="reroute-company"
          error={missing ? t('action.reroute.required') : p.error('reroute', 'company_id')}
          onChange={(next) => {
            setCompany(next);
            setMissing(false);
          }}
        />
        <Submit busy={p.busy('reroute')}>{t('action.reroute.submit')}</Submit>
      </form>
    </Section>
  );
}
