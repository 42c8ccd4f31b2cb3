import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { DocumentKind, DocumentTemplate } from '@/lib/api/types';

const KEY = ['admin', 'document-templates'] as const;

/** GET /api/v1/admin/document-templates: the order's and the act's text with their placeholders. */
export function useDocumentTemplates() {
  return useQuery({ queryKey: KEY, queryFn: () => call(api.GET('/api/v1/admin/document-templates')) });
}

/** PUT /api/v1/admin/document-templates/{kind}: a new text (422 on `body` for an unknown placeholder). */
export function useSaveDocumentTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, body }: { kind: DocumentKind; body: string }): Promise<DocumentTemplate> =>
      call(api.PUT('/api/v1/admin/document-templates/{kind}', { params: { path: { kind } }, body: { body } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
