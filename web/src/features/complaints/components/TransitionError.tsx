import { useQueryClient } from '@tanstack/react-query';
import { isApiProblem } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { complaintKeys } from '../api/queries';

/** The error of a transition; 412 says someone else changed the complaint and offers a reload. */
export function TransitionError({ error, complaintId, onReloaded }: { error: unknown; complaintId: string; onReloaded?: () => void }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const stale = isApiProblem(error) && (error.status === 412 || error.code === 'version_mismatch');
  async function reload() {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: complaintKeys.one(complaintId) }),
      queryClient.invalidateQueries({ queryKey: complaintKeys.events(complaintId) }),
      queryClient.invalidateQueries({ queryKey: ['complaints', 'list'] }),
    ]);
    onReloaded?.();
  }
  return (
    <div className="notice notice--error" role="alert" data-testid={stale ? 'stale-version' : 'action-error'}>
      <p>{stale ? i18n.t('complaint.stale') : problemMessage(error, i18n)}</p>
      {stale ? (
        <button type="button" className="button button--secondary" onClick={() => void reload()}>
          {i18n.t('complaint.reload')}
        </button>
      ) : null}
    </div>
  );
}
