import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphFailure } from '../../src/graph/failure.js';
import {
  ACTIVATION_REQUESTS_PATH,
  GraphPimClient,
  MY_ELIGIBILITIES_PATH,
} from '../../src/graph/pim-client.js';

// The wire format of just-in-time activation, with Graph played by a mock: what is sent, and that a
// refusal keeps PIM's code and message (the catalog mapping reads them) and is never retried.
const origin = 'https://graph.example.test';
let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

const client = () => new GraphPimClient('token', { baseUrl: `${origin}/v1.0`, dispatcher: agent });
const json = { headers: { 'content-type': 'application/json' } };
const request = {
  principalId: 'oid-olga',
  roleDefinitionId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  directoryScopeId: '/',
  justification: 'INC-1',
  durationMinutes: 90,
  ticketNumber: 'INC-1',
};

describe('GraphPimClient', () => {
  it("reads the caller's own eligibilities with their role names", async () => {
    const paths: string[] = [];
    agent
      .get(origin)
      .intercept({ path: (p) => p.includes('filterByCurrentUser'), method: 'GET' })
      .reply(
        200,
        (r) => {
          paths.push(decodeURIComponent(String(r.path)));
          return {
            value: [
              {
                roleDefinitionId: request.roleDefinitionId,
                directoryScopeId: '/',
                roleDefinition: { displayName: 'Authentication Administrator' },
              },
              { directoryScopeId: '/' },
            ],
          };
        },
        json,
      );
    expect(await client().myEligibleRoles()).toEqual([
      {
        roleDefinitionId: request.roleDefinitionId,
        displayName: 'Authentication Administrator',
        directoryScopeId: '/',
      },
    ]);
    expect(paths[0]).toContain(`/v1.0${MY_ELIGIBILITIES_PATH}`);
    expect(paths[0]).toContain('$expand=roleDefinition');
  });

  it('sends one selfActivate for the principal, role, scope, justification, duration and ticket', async () => {
    let sent: unknown;
    agent
      .get(origin)
      .intercept({ path: `/v1.0${ACTIVATION_REQUESTS_PATH}`, method: 'POST' })
      .reply(
        201,
        (r) => {
          sent = JSON.parse(String(r.body));
          return { id: 'req-1', status: 'Granted' };
        },
        json,
      );
    expect(await client().selfActivate(request)).toEqual({ id: 'req-1', status: 'Granted' });
    expect(sent).toMatchObject({
      action: 'selfActivate',
      principalId: 'oid-olga',
      roleDefinitionId: request.roleDefinitionId,
      directoryScopeId: '/',
      justification: 'INC-1',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT90M' } },
      ticketInfo: { ticketNumber: 'INC-1' },
    });
  });

  it('an outage comes back as a GraphFailure after one call: an activation is never retried', async () => {
    let calls = 0;
    agent
      .get(origin)
      .intercept({ path: `/v1.0${ACTIVATION_REQUESTS_PATH}`, method: 'POST' })
      .reply(
        503,
        () => {
          calls += 1;
          return { error: { code: 'serviceNotAvailable', message: 'down' } };
        },
        { headers: { 'content-type': 'application/json', 'retry-after': '0' } },
      )
      .persist();
    const error = await client()
      .selfActivate(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphFailure);
    expect((error as GraphFailure).status).toBe(503);
    expect(calls).toBe(1);
  });

  it('a rule failure arrives as a GraphFailure with the rule names in its message', async () => {
    agent
      .get(origin)
      .intercept({ path: `/v1.0${ACTIVATION_REQUESTS_PATH}`, method: 'POST' })
      .reply(
        400,
        {
          error: {
            code: 'RoleAssignmentRequestPolicyValidationFailed',
            message: 'The following policy rules failed: ["TicketingRule"]',
          },
        },
        json,
      );
    const error = (await client()
      .selfActivate(request)
      .catch((e: unknown) => e)) as GraphFailure;
    expect(error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(error.message).toContain('["TicketingRule"]');
  });
});
