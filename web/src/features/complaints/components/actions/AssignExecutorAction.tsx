import { useI18n } from '@/lib/i18n';
import { TextAction, type ActionProps } from './shared';

export function AssignExecutorAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <TextAction
      {...p}
      kind="assign_executor"
      field="executor"
      title={t('action.assign_executor.title')}
      label={t('action.assign_executor.label')}
      submit={t('action.assign_executor.submit')}
      make={(executor) => ({ type: 'assign_executor', executor })}
    />
  );
}
