// RFC 9457 problem details, as the API returns them (`application/problem+json`).

export const NETWORK_ERROR = 'network_error';
export const UNKNOWN_ERROR = 'unknown_error';

export type FieldErrors = Record<string, string[]>;

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldErrors;
  /** Tries left with a one-time code (`wrong_code`). */
  readonly remainingAttempts: number | undefined;
  /** Seconds to wait, from `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    fieldErrors?: FieldErrors;
    remainingAttempts?: number;
    retryAfter?: number;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? {};
    this.remainingAttempts = init.remainingAttempts;
    this.retryAfter = init.retryAfter;
  }

  /** 4xx problems will not go away by retrying the same request. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldErrors(value: unknown): FieldErrors {
  if (!isRecord(value)) return {};
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) {
      const texts = messages.filter((m): m is string => typeof m === 'string');
      if (texts.length > 0) out[field] = texts;
    } else if (typeof messages === 'string') {
      out[field] = [messages];
    }
  }
  return out;
}

/** Builds an ApiProblem from an error response, whatever shape its body has. */
export function problemFromResponse(response: Response, body: unknown): ApiProblem {
  const retryAfter = Number.parseInt(response.headers?.get('retry-after') ?? '', 10);
  if (isRecord(body)) {
    return new ApiProblem({
      status: typeof body.status === 'number' ? body.status : response.status,
      code: typeof body.code === 'string' ? body.code : UNKNOWN_ERROR,
      title: typeof body.title === 'string' ? body.title : response.statusText,
      detail: typeof body.detail === 'string' ? body.detail : undefined,
      fieldErrors: parseFieldErrors(body.errors),
      ...(typeof body.remaining_attempts === 'number' ? { remainingAttempts: body.remaining_attempts } : {}),
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
    });
  }
  return new ApiProblem({
    status: response.status,
    code: UNKNOWN_ERROR,
    title: response.statusText,
    detail: typeof body === 'string' && body.length > 0 && body.length < 500 ? body : undefined,
  });
}

export function networkProblem(cause: unknown): ApiProblem {
  const problem = new ApiProblem({ status: 0, code: NETWORK_ERROR, title: 'Network error' });
  (problem as Error).cause = cause;
  return problem;
}

export function isApiProblem(error: unknown): error is ApiProblem {
  return error instanceof ApiProblem;
}
