// Face Check on an onboarding card, with FACE_CHECK_REQUIRED=true, through real HTTP: the day-one pass is
// held to the same rule as any pass. No check, no device change and no pass; a passing check of the
// person, shown live on the onboarding card, and Confirm sets the device and issues, recording the score.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/log.js';
import { sandboxFaceCheckEnv } from '../../sandbox/bot-env.js';
import { actionData, cardOf, click, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { CallbackRelay } from '../helpers/callback-relay.js';
import { sandboxAdmin, sandboxState } from '../helpers/sandbox-admin.js';

let h: Harness;
let relay: CallbackRelay;
beforeAll(async () => {
  relay = new CallbackRelay();
  await relay.start();
  h = await startHarness(
    { FACE_CHECK_REQUIRED: 'true' },
    { env: (sandbox) => ({ ...sandboxFaceCheckEnv(sandbox, 0), VERIFIED_ID_CALLBACK_URL: relay.url }) },
  );
  relay.target = `http://127.0.0.1:${h.bot.port}/api/verified-id/callback`;
});
afterAll(async () => {
  await h?.close();
  await relay?.close();
});

const text = (value: unknown) => JSON.stringify(value);

describe('onboarding with Face Check required', () => {
  it('refuses Confirm without a check, then sets the device and issues once the person passed one', async () => {
    const owen = h.user('owen@contoso.com');
    const before = h.connector.sent().length;
    await post(h, message(h, owen, 'onboard alice@contoso.com on PF4KX1A3 tag Finance'));
    const sent = h.connector.sent()[before]!;
    const card = cardOf(sent.activity);
    const { requestId } = actionData(card, 'onboard.confirm') as { requestId: string };
    expect(actionData(card, 'tap.facecheck')).toEqual({ requestId });
    const confirm = (verification: string) =>
      post(
        h,
        click(
          h,
          owen,
          'onboard.confirm',
          { requestId, verification, groupTag: 'Finance' },
          { replyToId: sent.assignedId },
        ),
      );

    const refused = await confirm('in-person');
    expect(text(refused.body)).toContain('A Face Check is required first');
    const untouched = (await sandboxState(h)).devices.find((d) => d.serialNumber === 'PF4KX1A3')!;
    expect(untouched.userPrincipalName).toBe('');

    const started = await post(
      h,
      click(h, owen, 'tap.facecheck', { requestId }, { replyToId: sent.assignedId }),
    );
    // The onboarding card is drawn again, with its device, and now the QR code.
    expect(text(started.body)).toContain('PF4KX1A3');
    expect(text(started.body)).toContain('data:image/png;base64,');
    const state = (await sandboxState(h)) as unknown as {
      presentations: { requestId: string; callbackState: string }[];
    };
    const presentation = state.presentations.filter((p) => p.callbackState === requestId).at(-1)!;
    await sandboxAdmin(h, 'POST', '/verified-id/present', { requestId: presentation.requestId, score: 91 });
    let updated = '';
    for (let i = 0; i < 100 && !updated.includes('Face Check passed (score 91)'); i += 1) {
      updated = text(
        h.connector
          .updates()
          .filter((u) => u.activityId === sent.assignedId)
          .at(-1)?.activity,
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(updated).toContain('Face Check passed (score 91)');
    expect(updated).toContain('Onboard Alice Wong on PF4KX1A3?');

    const done = await confirm('verified-id-face-check');
    expect(text(done.body)).toContain('Temporary Access Pass');
    const device = (await sandboxState(h)).devices.find((d) => d.serialNumber === 'PF4KX1A3')!;
    expect(device).toMatchObject({
      userPrincipalName: 'alice@contoso.com',
      groupTag: 'Finance',
      updatedBy: owen.id,
    });
    const issued = (await new AuditLog(h.store, () => new Date()).recent(100)).find(
      (e) => e.type === 'tap.issued' && e.requestId === requestId,
    );
    expect(issued).toMatchObject({
      verification: 'verified-id-face-check',
      faceCheckScore: 91,
      faceCheckRequestId: presentation.requestId,
    });
  });
});
