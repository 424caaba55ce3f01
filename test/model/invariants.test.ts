// The model test's checker must see what it claims to: a pass value in a message or a log line.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findCode } from '../helpers/passes.js';
import { sandboxState } from '../helpers/sandbox-admin.js';
import { InvariantChecker } from './invariants.js';
import { ModelWorld } from './world.js';

let w: ModelWorld;
beforeAll(async () => {
  w = await ModelWorld.start();
  await w.reset();
});
afterAll(async () => w?.close());

it('a pass value in a message or in the log is a violation, and the report never shows it', async () => {
  const checker = new InvariantChecker(w);
  for (const step of [
    { kind: 'say', who: 'dana', text: 'issue TAP for bob@contoso.com for 1h', where: 'personal' },
    { kind: 'press', who: 'owner', verb: 'tap.confirm', pick: 0, where: 'personal' },
  ] as const) {
    const record = await w.run(step);
    await w.settle();
    expect(await checker.check(record)).toEqual([]);
  }
  const [pass] = (await sandboxState(w.h)).passes;
  const code = findCode(JSON.stringify(w.records[1]!.response), pass!.passSha256);
  w.h.connector.calls.push({
    at: Date.now(),
    method: 'POST',
    path: '/v3/conversations/x/activities',
    conversationId: 'x',
    activity: { type: 'message', text: `your pass: ${code}.` },
    assignedId: 'activity-x',
  });
  w.h.logLines.push(JSON.stringify({ event: 'oops', detail: `(${code})` }));
  const violations = await checker.check(w.records[1]!);
  expect(violations.map((v) => v.invariant)).toEqual(['I4', 'I4']);
  expect(JSON.stringify(violations)).not.toContain(code);
});
