import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';

// The client secret is wrong: every OBO exchange fails with invalid_client. The admin sees a plain
// "something went wrong"; the operator sees why in the log; the secret itself appears nowhere.
const WRONG_SECRET = 'canary-secret-7f3a9d';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ AAD_APP_CLIENT_SECRET: WRONG_SECRET });
});
afterAll(async () => h?.close());

describe('a misconfigured client secret', () => {
  it('tells the admin nothing was done, logs the Entra error code, never the secret', async () => {
    await post(h, message(h, h.user('dana@contoso.com'), 'issue TAP for alice@contoso.com'));
    expect(JSON.stringify(h.connector.sent()[0]!.activity)).toContain('UNEXPECTED');
    const cause = h.logLines.find((line) => line.includes('"event":"problem.cause"'));
    expect(cause).toContain('AADSTS7000215');
    expect(h.logLines.join('\n')).not.toContain(WRONG_SECRET);
    expect(h.connector.allText()).not.toContain(WRONG_SECRET);
  });
});
