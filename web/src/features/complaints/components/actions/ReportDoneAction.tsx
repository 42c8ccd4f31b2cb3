import { useI18n } from '@/lib/i18n';
import { TextAction, type ActionProps } from './shared';

export function ReportDoneAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <TextAction
      {...p}
      kind="report_done"
      field="note"
      multiline
      title={t('action.report_done.title')}
      label={t('action.report_done.label')}
      submit={t('action.report_done.submit')}
      withFiles
      make={(note) => ({ type: 'report_done', note })}
    />
  );
}
