import { useI18n } from '@/lib/i18n';
import { TextAction, type ActionProps } from './shared';

export function SendToInspectionAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <TextAction
      {...p}
      kind="send_to_inspection"
      field="reason"
      multiline
      title={t('action.send_to_inspection.title')}
      label={t('action.send_to_inspection.label')}
      submit={t('action.send_to_inspection.submit')}
      tone="secondary"
      make={(reason) => ({ type: 'send_to_inspection', reason })}
    />
  );
}
