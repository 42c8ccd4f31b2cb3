import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '@/lib/i18n';

interface Props {
  children: ReactNode;
  /** Plain-text title for the browser tab. */
  title: string;
  /** Move focus here when the page opens, so screen readers announce the new page. */
  focus?: boolean;
}

/** The page's one <h1>; sets the document title and takes focus after client-side navigation. */
export function PageHeading({ children, title, focus = true }: Props) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();

  useEffect(() => {
    document.title = t('app.pageTitle', { page: title });
  }, [t, title]);

  useEffect(() => {
    if (focus) ref.current?.focus({ preventScroll: false });
  }, [focus]);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
