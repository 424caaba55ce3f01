import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphTapClient } from '../../src/graph/client.js';
import { GraphFailure } from '../../src/graph/failure.js';

// Paging edges the sandbox cannot produce: a nextLink to another host and an endless chain of pages.
const origin = 'https://graph.example.test';
const groupsPath = '/v1.0/me/transitiveMemberOf/microsoft.graph.group';
let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

const client = () => new GraphTapClient('token', { baseUrl: `${origin}/v1.0`, dispatcher: agent });
const page = (ids: string[], nextLink?: string) => ({
  value: ids.map((id) => ({ '@odata.type': '#microsoft.graph.group', id })),
  ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
});
const json = { headers: { 'content-type': 'application/json' } };

describe('GraphTapClient.isMemberOf paging limits', () => {
  it('refuses to send the token to a nextLink on another host', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: (p) => p.startsWith(groupsPath), method: 'GET' })
      .reply(200, page(['a'], `https://evil.example.test${groupsPath}?$skiptoken=x`), json);
    const outcome = client().isMemberOf('b');
    await expect(outcome).rejects.toBeInstanceOf(GraphFailure);
    await expect(outcome).rejects.toMatchObject({ code: 'foreignNextLink' });
  });

  it('gives up after 50 pages instead of following nextLinks forever', async () => {
    let served = 0;
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(groupsPath), method: 'GET' })
      .reply(
        200,
        () => {
          served++;
          return page([`g${served}`], `${origin}${groupsPath}?$skiptoken=${served}`);
        },
        json,
      )
      .persist();
    await expect(client().isMemberOf('never')).rejects.toMatchObject({ code: 'tooManyPages', status: 0 });
    expect(served).toBe(50);
  });

  it('finds the group on a later page and sends the bearer token on every page', async () => {
    const auth: string[] = [];
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(groupsPath), method: 'GET' })
      .reply(
        200,
        (request) => {
          auth.push(
            String(
              new Headers(request.headers as ConstructorParameters<typeof Headers>[0]).get('authorization'),
            ),
          );
          return auth.length === 1
            ? page(['x'], `${origin}${groupsPath}?$select=id&$top=999&$skiptoken=p2`)
            : page(['0309E63E-7C98-5EFD-BDBB-0FCD86CA92E0']);
        },
        json,
      )
      .persist();
    expect(await client().isMemberOf('0309e63e-7c98-5efd-bdbb-0fcd86ca92e0')).toBe(true);
    expect(auth).toEqual(['Bearer token', 'Bearer token']);
  });
});
