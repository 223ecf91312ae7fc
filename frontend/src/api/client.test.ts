import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { ApiError } from './errors';

function answering(status: number, body?: unknown) {
  return vi.fn<typeof fetch>(() =>
    Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status })),
  );
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('ApiClient', () => {
  it('asks for a fresh token before each owner call', async () => {
    const fetchImpl = answering(200, { items: [] });
    let n = 0;
    const getToken = vi.fn(() => Promise.resolve(`token-${++n}`));
    const api = new ApiClient({ apiUrl: 'http://api/', getToken, fetchImpl });
    await api.listFiles();
    await api.listFiles('next');
    const headers = fetchImpl.mock.calls.map(([, init]) => (init?.headers as Record<string, string>).authorization);
    expect(headers).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(fetchImpl.mock.calls[1]?.[0]).toBe('http://api/files?limit=20&nextToken=next');
  });

  it('makes, lists and revokes links to several files on /shares', async () => {
    const fetchImpl = answering(200, { items: [] });
    const api = new ApiClient({ apiUrl: 'http://api', getToken: () => Promise.resolve('t'), fetchImpl });
    await api.createLink({ fileIds: ['a'.repeat(32), 'b'.repeat(32)], maxDownloads: 1 });
    await api.listLinks('next');
    await api.revokeLink('0123456789abcdef');
    const calls = fetchImpl.mock.calls.map(([url, init]) => [init?.method, url, init?.body]);
    expect(calls).toEqual([
      ['POST', 'http://api/shares', JSON.stringify({ fileIds: ['a'.repeat(32), 'b'.repeat(32)], maxDownloads: 1 })],
      ['GET', 'http://api/shares?limit=20&nextToken=next', undefined],
      ['DELETE', 'http://api/shares/0123456789abcdef', undefined],
    ]);
  });

  it('sends no token to the public routes', async () => {
    const fetchImpl = answering(200, { passwordRequired: true, expiresAt: '2026-12-01T00:00:00Z' });
    const api = new ApiClient({ apiUrl: 'http://api', fetchImpl });
    await api.describeShare('t'.repeat(43));
    expect(fetchImpl.mock.calls[0]?.[1]?.headers).toEqual({});
  });

  it("turns the API's refusals into sentences, never codes", async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      fetchImpl: answering(403, { error: { code: 'wrong_password', message: 'wrong password' } }),
    });
    const error = await failure(api.redeemDownload('t'.repeat(43), 'nope'));
    expect(error.message).toBe('That password is not right. Check it and try again.');
    expect(error.message).not.toContain('wrong_password');
  });

  it('emails a link to its own path and reads a refused address or the hourly limit in words', async () => {
    const sent = answering(202, { recipients: ['a@x.example'], remainingThisHour: 19 });
    const api = new ApiClient({ apiUrl: 'http://api', getToken: () => Promise.resolve('t'), fetchImpl: sent });
    expect(await api.emailShare('f'.repeat(32), '0123456789abcdef', { to: ['a@x.example'] })).toEqual({
      recipients: ['a@x.example'],
      remainingThisHour: 19,
    });
    expect(sent.mock.calls[0]?.[0]).toBe(`http://api/files/${'f'.repeat(32)}/shares/0123456789abcdef/emails`);
    expect(sent.mock.calls[0]?.[1]?.body).toBe('{"to":["a@x.example"]}');
    const limited = new ApiClient({
      apiUrl: 'http://api',
      getToken: () => Promise.resolve('t'),
      fetchImpl: answering(429, {
        error: { code: 'email_rate_exceeded', message: 'You may email links to 20 recipients an hour. Try again in about 7 minutes.' },
      }),
    });
    const error = await failure(limited.emailShare('f'.repeat(32), '0123456789abcdef', { to: ['b@x.example'] }));
    expect(error.message).toBe('You may email links to 20 recipients an hour. Try again in about 7 minutes.');
    expect(error.retryable).toBe(true);
  });

  it('says "try again later" on a lockout', async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      fetchImpl: answering(429, { error: { code: 'too_many_attempts', message: 'locked' } }),
    });
    expect((await failure(api.redeemDownload('t'.repeat(43), 'x'))).message).toMatch(/try again later/i);
  });

  it("uses the server's own words for a refusal it has no sentence for", async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      getToken: () => Promise.resolve('t'),
      fetchImpl: answering(400, { error: { code: 'invalid_request', message: 'expiresInSeconds is at most 2592000' } }),
    });
    expect((await failure(api.createShare('f'.repeat(32), {}))).message).toBe('ExpiresInSeconds is at most 2592000.');
  });

  it('offers a retry for a 5xx, a timeout and a network failure', async () => {
    const server = await failure(
      new ApiClient({ apiUrl: 'http://api', fetchImpl: answering(502, { message: 'Internal Server Error' }) }).describeShare('x'),
    );
    expect(server.message).toMatch(/had a problem/);
    expect(server.retryable).toBe(true);

    const slow = new ApiClient({
      apiUrl: 'http://api',
      timeoutMs: 10,
      fetchImpl: (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => {
            reject(init.signal?.reason as Error);
          });
        }),
    });
    const timeout = await failure(slow.describeShare('x'));
    expect(timeout.message).toMatch(/did not answer in time/);
    expect(timeout.retryable).toBe(true);

    const offline = new ApiClient({ apiUrl: 'http://api', fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')) });
    const network = await failure(offline.describeShare('x'));
    expect(network.message).toMatch(/cannot be reached/);
    expect(network.retryable).toBe(true);
  });

  it('treats 401 as an ended session', async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      getToken: () => Promise.resolve('t'),
      fetchImpl: answering(401, { message: 'Unauthorized' }),
    });
    const error = await failure(api.listFiles());
    expect(error.kind).toBe('session');
    expect(error.message).toBe('Your session has ended. Sign in again.');
  });

  it('answers null while a new upload is not registered yet (404)', async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      getToken: () => Promise.resolve('t'),
      fetchImpl: answering(404, { error: { code: 'not_found', message: 'no such file' } }),
    });
    expect(await api.getFile('f'.repeat(32))).toBeNull();
  });
  it('filters the runs in the query and sends a redrive to the run\'s ARN, encoded', async () => {
    const fetchImpl = answering(200, { items: [] });
    const api = new ApiClient({ apiUrl: 'http://api', getToken: () => Promise.resolve('t'), fetchImpl });
    await api.listExecutions({ status: 'FAILED', workflow: 'process-upload', since: '2026-11-29T09:00:00Z' });
    await api.listExecutions({}, 'page-2');
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:process-upload:run-1';
    await api.redrive(arn);
    const urls = fetchImpl.mock.calls.map(([url]) => url);
    expect(urls).toEqual([
      'http://api/ops/executions?limit=20&status=FAILED&workflow=process-upload&since=2026-11-29T09%3A00%3A00Z',
      'http://api/ops/executions?limit=20&nextToken=page-2',
      `http://api/ops/executions/${encodeURIComponent(arn)}/redrive`,
    ]);
    expect(fetchImpl.mock.calls[2]?.[1]?.method).toBe('POST');
  });

  it('says in words why a run cannot be redriven (409)', async () => {
    const api = new ApiClient({
      apiUrl: 'http://api',
      getToken: () => Promise.resolve('t'),
      fetchImpl: answering(409, { error: { code: 'not_redrivable', message: 'the execution is SUCCEEDED' } }),
    });
    const error = await failure(api.redrive('arn:aws:states:us-east-1:123456789012:execution:x:y'));
    expect(error.message).toMatch(/^This run cannot be redriven: /);
    expect(error.message).not.toContain('not_redrivable');
    expect(error.retryable).toBe(false);
  });
});
