import { describe, expect, it } from 'vitest';
import { problemFromResponse, UNKNOWN_ERROR } from './problem';

describe('problemFromResponse', () => {
  it('reads an RFC 9457 body with field errors', () => {
    const body = {
      type: 'about:blank',
      title: 'Validation failed',
      status: 422,
      code: 'validation_failed',
      errors: { login: ['must not be empty'], password: 'too short' },
    };
    const problem = problemFromResponse(new Response(null, { status: 422 }), body);
    expect(problem.status).toBe(422);
    expect(problem.code).toBe('validation_failed');
    expect(problem.fieldErrors).toEqual({ login: ['must not be empty'], password: ['too short'] });
    expect(problem.isClientError).toBe(true);
  });

  it('copes with a body that is not a problem', () => {
    const problem = problemFromResponse(new Response(null, { status: 502, statusText: 'Bad Gateway' }), 'upstream down');
    expect(problem.status).toBe(502);
    expect(problem.code).toBe(UNKNOWN_ERROR);
    expect(problem.detail).toBe('upstream down');
  });
});
