import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import type { OrderRegisterRow } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { useOrderPreview } from '../api/registers';

/** The printed order's text as the server renders it (the same template as the PDF), in a sandboxed frame. */
export function OrderPreview({ order, onClose }: { order: OrderRegisterRow; onClose: () => void }) {
  const { t } = useI18n();
  const page = useOrderPreview(order.id);
  const title = t('registers.previewTitle', { number: order.number });
  return (
    <section className="card" aria-label={title} data-testid="order-document">
      <h2>{title}</h2>
      {page.isPending ? <Loading /> : null}
      {page.isError ? <ErrorNotice error={page.error} /> : null}
      {page.data ? <iframe title={title} sandbox="" srcDoc={page.data} className="document-preview" /> : null}
      <button type="button" className="button button--secondary" onClick={onClose}>
        {t('registers.closePreview')}
      </button>
    </section>
  );
}
