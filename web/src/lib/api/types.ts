// Types of the wire format, derived from the generated OpenAPI schema by path, so they
// follow the spec whatever the server names its schema components.
import type { paths } from '@/api/schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type Meta = JsonOf<paths['/api/v1/meta']['get']['responses'][200]>;
export type Me = JsonOf<paths['/api/v1/me']['get']['responses'][200]>;
export type Role = Me['role'];
export type LoginRequest = NonNullable<
  paths['/api/v1/auth/login']['post']['requestBody']
>['content']['application/json'];
export type LoginResponse = JsonOf<paths['/api/v1/auth/login']['post']['responses'][200]>;
