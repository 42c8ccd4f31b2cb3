import { useI18n } from '@/lib/i18n';
import { TextAction, type ActionProps } from './shared';

export function PauseClockAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <TextAction
      {...p}
      kind="pause_clock"
      field="reason"
      title={t('action.pause_clock.title')}
      label={t('action.pause_clock.label')}
      submit={t('action.pause_clock.submit')}
      tone="secondary"
      make={(reason) => ({ type: 'pause_clock', reason })}
    />
  );
}
