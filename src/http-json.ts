import { Agent, type Dispatcher } from 'undici';

/** An undici dispatcher that trusts one extra CA (the sandbox's) for these calls only. */
export function dispatcherTrusting(caPem: string | undefined): Dispatcher | undefined {
  return caPem ? new Agent({ connect: { ca: caPem }, keepAliveTimeout: 30_000 }) : undefined;
}

/** Small JSON helpers for the sandbox admin API; they fail loudly with the status and URL. */
export function jsonClient(dispatcher: Dispatcher | undefined) {
  const call = async (url: string, init: RequestInit, signal?: AbortSignal): Promise<unknown> => {
    const response = await fetch(url, {
      ...init,
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}`);
    return response.json();
  };
  return {
    getJson: (url: string, signal?: AbortSignal) => call(url, { method: 'GET' }, signal),
    postJson: (url: string, body: unknown, signal?: AbortSignal) =>
      call(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        signal,
      ),
  };
}
