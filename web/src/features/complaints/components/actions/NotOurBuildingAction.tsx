import { useI18n } from '@/lib/i18n';
import { TextAction, type ActionProps } from './shared';

export function NotOurBuildingAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <TextAction
      {...p}
      kind="not_our_building"
      field="reason"
      multiline
      title={t('action.not_our_building.title')}
      label={t('action.not_our_building.label')}
      submit={t('action.not_our_building.submit')}
      tone="secondary"
      make={(reason) => ({ type: 'not_our_building', reason })}
    />
  );
}
