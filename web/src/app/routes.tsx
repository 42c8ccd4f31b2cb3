import type { RouteObject } from 'react-router';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { RequireRole } from '@/features/auth/components/RequireRole';
import { HomePage } from '@/features/home/components/HomePage';
import { RolePage } from '@/features/roles/components/RolePage';
import { ROLES, rolePath } from '@/lib/roles';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      ...ROLES.map(
        (role): RouteObject => ({
          path: rolePath(role),
          element: <RequireRole role={role}>{(me) => <RolePage me={me} />}</RequireRole>,
        }),
      ),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
