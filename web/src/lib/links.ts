/** Swagger UI, served by the API binary (not a route of this SPA). */
export const API_DOCS_URL = '/docs/';
