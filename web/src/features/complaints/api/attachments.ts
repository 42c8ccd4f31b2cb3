import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { ApiProblem } from '@/lib/api/problem';
import type { Attachment } from '@/lib/api/types';

/** The server refuses more than 10 MiB; the form checks before sending. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const attachmentsKey = (id: string) => ['complaints', 'attachments', id] as const;

/** Why a file cannot be sent, checked in the browser: `too_large`, `wrong_type`, or null. */
export function checkFile(file: File): 'too_large' | 'wrong_type' | null {
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return 'wrong_type';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'too_large';
  return null;
}

/** GET /api/v1/complaints/{id}/attachments: every page (a complaint holds a bounded number of files). */
export function useAttachments(complaintId: string) {
  return useQuery({
    queryKey: attachmentsKey(complaintId),
    queryFn: async (): Promise<Attachment[]> => {
      const all: Attachment[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(api.GET('/api/v1/complaints/{id}/attachments', { params: { path: { id: complaintId }, query: { limit: 100, cursor } } }));
        all.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return all;
    },
  });
}

/** POST /api/v1/complaints/{id}/attachments?filename=: the raw file as the body, with its type. */
export function uploadAttachment(complaintId: string, file: File): Promise<Attachment> {
  const problem = checkFile(file);
  if (problem) {
    return Promise.reject(
      new ApiProblem({ status: problem === 'too_large' ? 413 : 415, code: problem === 'too_large' ? 'payload_too_large' : 'unsupported_media_type', title: file.name }),
    );
  }
  return call(
    api.POST('/api/v1/complaints/{id}/attachments', {
      params: { path: { id: complaintId }, query: { filename: file.name.slice(0, 200) } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as Blob,
      headers: { 'Content-Type': file.type },
    }),
  );
}

/** Uploads files one after another; the list of the complaint's attachments is refreshed after. */
export function useUploadAttachments(complaintId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ files, id }: { files: File[]; id?: string }): Promise<Attachment[]> => {
      const out: Attachment[] = [];
      for (const file of files) out.push(await uploadAttachment(id ?? complaintId, file));
      return out;
    },
    onSettled: (_data, _error, { id }) => void queryClient.invalidateQueries({ queryKey: attachmentsKey(id ?? complaintId) }),
  });
}

/** GET /api/v1/attachments/{id} with the bearer token, as a blob (an <img src> cannot send it). */
export function attachmentBlobQuery(attachment: Pick<Attachment, 'id'>) {
  return queryOptions({
    queryKey: ['attachments', 'blob', attachment.id],
    queryFn: (): Promise<Blob> =>
      call(api.GET('/api/v1/attachments/{id}', { params: { path: { id: attachment.id } }, parseAs: 'blob' })) as unknown as Promise<Blob>,
    staleTime: Infinity,
    gcTime: 5 * 60 * 1000,
  });
}

export function useAttachmentBlob(attachment: Pick<Attachment, 'id'>) {
  return useQuery(attachmentBlobQuery(attachment));
}
