import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { fetchAllPages, useKeysetPages } from '@/lib/api/keyset';
import type {
  AdminBuilding,
  AdminCategory,
  ApiKey,
  CreateApiKeyRequest,
  CreateBuildingRequest,
  CreateCategoryRequest,
  CreatedApiKey,
  CreateOrganisationRequest,
  FineArticle,
  SaveFineArticleRequest,
  ImportReport,
  ManagementChanged,
  ManagementPeriod,
  OpenComplaints,
  Organisation,
  OrganisationKind,
  UpdateBuildingRequest,
  UpdateCategoryRequest,
  UpdateOrganisationRequest,
} from '@/lib/api/types';

const k = {
  orgs: ['admin', 'organisations'] as const,
  buildings: ['admin', 'buildings'] as const,
  categories: ['admin', 'categories'] as const,
  keys: ['admin', 'api-keys'] as const,
};

/** GET /api/v1/admin/organisations?kind=: a page at a time. */
export function useOrganisationPages(kind: OrganisationKind | '') {
  return useKeysetPages({
    queryKey: [...k.orgs, 'pages', kind],
    fetchPage: (cursor) => call(api.GET('/api/v1/admin/organisations', { params: { query: { limit: 50, ...(kind ? { kind } : {}), ...cursor } } })),
  });
}

/** POST /api/v1/admin/organisations. */
export function useCreateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOrganisationRequest): Promise<Organisation> => call(api.POST('/api/v1/admin/organisations', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.orgs }),
  });
}

/** PATCH /api/v1/admin/organisations/{id}. */
export function useUpdateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateOrganisationRequest }): Promise<Organisation> =>
      call(api.PATCH('/api/v1/admin/organisations/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.orgs }),
  });
}

/** GET /api/v1/admin/buildings?q=&company_id=. */
export function useAdminBuildings(q: string, companyId: string) {
  return useKeysetPages({
    queryKey: [...k.buildings, q, companyId],
    fetchPage: (cursor) =>
      call(api.GET('/api/v1/admin/buildings', { params: { query: { limit: 50, ...(q ? { q } : {}), ...(companyId ? { company_id: companyId } : {}), ...cursor } } })),
    keepPrevious: true,
  });
}

/** POST /api/v1/admin/buildings. */
export function useCreateBuilding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBuildingRequest): Promise<AdminBuilding> => call(api.POST('/api/v1/admin/buildings', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.buildings }),
  });
}

/** PATCH /api/v1/admin/buildings/{id}. */
export function useUpdateBuilding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateBuildingRequest }): Promise<AdminBuilding> =>
      call(api.PATCH('/api/v1/admin/buildings/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.buildings }),
  });
}

/** GET /api/v1/admin/buildings/{id}/management: oldest first. */
export function useManagementHistory(id: string) {
  return useQuery({
    queryKey: [...k.buildings, 'management', id],
    queryFn: (): Promise<ManagementPeriod[]> => call(api.GET('/api/v1/admin/buildings/{id}/management', { params: { path: { id } } })),
  });
}

/** POST /api/v1/admin/buildings/{id}/management. */
export function useChangeManagement(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ companyId, openComplaints }: { companyId: string; openComplaints: OpenComplaints }): Promise<ManagementChanged> =>
      call(
        api.POST('/api/v1/admin/buildings/{id}/management', {
          params: { path: { id } },
          body: { company_id: companyId, open_complaints: openComplaints },
        }),
      ),
    onSuccess: (changed) => {
      queryClient.setQueryData([...k.buildings, 'management', id], changed.periods);
      void queryClient.invalidateQueries({ queryKey: k.buildings });
      void queryClient.invalidateQueries({ queryKey: ['complaints'] });
    },
  });
}

/** POST /api/v1/admin/buildings/import: the CSV file as the body (text/csv). */
export function useImportBuildings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File): Promise<ImportReport> =>
      call(
        api.POST('/api/v1/admin/buildings/import', {
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as Blob,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.buildings }),
  });
}

/** GET /api/v1/admin/categories: inactive ones too. */
export function useAdminCategories() {
  return useQuery({
    queryKey: k.categories,
    queryFn: (): Promise<AdminCategory[]> =>
      fetchAllPages((cursor) => call(api.GET('/api/v1/admin/categories', { params: { query: { limit: 200, ...cursor } } }))),
  });
}

/** POST /api/v1/admin/categories; the public list of categories is refreshed too. */
export function useCreateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCategoryRequest): Promise<AdminCategory> => call(api.POST('/api/v1/admin/categories', { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: k.categories });
      void queryClient.invalidateQueries({ queryKey: ['categories'] });
    },
  });
}

/** PATCH /api/v1/admin/categories/{id}. */
export function useUpdateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCategoryRequest }): Promise<AdminCategory> =>
      call(api.PATCH('/api/v1/admin/categories/{id}', { params: { path: { id } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: k.categories });
      void queryClient.invalidateQueries({ queryKey: ['categories'] });
    },
  });
}

/** GET /api/v1/admin/api-keys. */
export function useApiKeys() {
  return useQuery({
    queryKey: k.keys,
    queryFn: async (): Promise<ApiKey[]> => (await call(api.GET('/api/v1/admin/api-keys'))).items,
  });
}

/** POST /api/v1/admin/api-keys: the answer carries the key, once. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyRequest): Promise<CreatedApiKey> => call(api.POST('/api/v1/admin/api-keys', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.keys }),
  });
}

/** POST /api/v1/admin/api-keys/{id}/rotate: a new secret, shown once; the old one works for the grace period. */
export function useRotateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, graceMinutes }: { id: string; graceMinutes: number }): Promise<CreatedApiKey> =>
      call(api.POST('/api/v1/admin/api-keys/{id}/rotate', { params: { path: { id } }, body: { grace_minutes: graceMinutes } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.keys }),
  });
}

/** POST /api/v1/admin/api-keys/{id}/revoke. */
export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/admin/api-keys/{id}/revoke', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.keys }),
  });
}

/** GET /api/v1/admin/fine-articles: every article of the fines register, inactive ones too. */
export function useAdminFineArticles() {
  return useQuery({
    queryKey: ['admin', 'fine-articles'],
    queryFn: (): Promise<FineArticle[]> => call(api.GET('/api/v1/admin/fine-articles')),
  });
}

/** PUT /api/v1/admin/fine-articles/{code}: adds an article or changes its title, ranges or state. */
export function useSaveFineArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: SaveFineArticleRequest }): Promise<FineArticle> =>
      call(api.PUT('/api/v1/admin/fine-articles/{code}', { params: { path: { code } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'fine-articles'] });
      void queryClient.invalidateQueries({ queryKey: ['fine-articles'] });
    },
  });
}
