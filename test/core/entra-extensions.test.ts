// Entra custom extensions in the core over fakes: the callers' configuration, the callouts' shape,
// the approval a callout becomes (the requestor as the asker, Entra's retries as one request) and
// the resume each way an approval can end.
import { describe, expect, it } from 'vitest';
import {
  checkAccessPackageCallout,
  type AccessPackageCallout,
} from '../../src/extensions/access-package-body.js';
import { parseExtensionCallers, WELL_KNOWN_CALLERS } from '../../src/extensions/callers.js';
import { accessPackageDraft, lifecycleDraft } from '../../src/extensions/drafts.js';
import { checkLifecycleCallout, type LifecycleCallout } from '../../src/extensions/lifecycle-body.js';
import { resumeCallFor } from '../../src/extensions/resume.js';
import { submitCallout } from '../../src/extensions/submit-callout.js';
import { approveRequest } from '../../src/tap/approval-decide.js';
import type { TapRequest } from '../../src/tap/request.js';
import { coreWorld, PEOPLE } from '../fakes/core.js';
import { codeOf, inChannel } from './steps.js';

const { alice, mona, tom } = PEOPLE;
const EM = WELL_KNOWN_CALLERS['access-package'];
const LCW = WELL_KNOWN_CALLERS['lifecycle-task'];
const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function accessPackage(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AccessPackageAssignmentRequestId: G(1),
    CustomExtensionStageInstanceId: G(2),
    Stage: 'assignmentRequestCreated',
    AccessPackage: { Id: G(3), DisplayName: 'Temporary Access Pass' },
    Assignment: { Target: { ObjectId: G(4), DisplayName: 'Tom Target' } },
    Requestor: { ObjectId: G(5), DisplayName: 'Mona Manager' },
    Answers: [{ Value: 'lost phone' }],
    ...extra,
  };
}

const CALLBACK = `/identityGovernance/lifecycleWorkflows/workflows/${G(6)}/tasks/${G(7)}/taskProcessingResults/${G(8)}/resume`;
function lifecycle(callbackUriPath = CALLBACK): Record<string, unknown> {
  return {
    source: 'x',
    type: 'lifecycleEvent',
    data: {
      callbackUriPath,
      subject: { id: G(4), displayName: 'Tom Target' },
      task: { id: G(7), displayName: 'TapDesk' },
      taskProcessingResult: { id: G(8) },
      workflow: { id: G(6), displayName: 'Onboard' },
    },
  };
}

const parsedAccessPackage = (body = accessPackage()): AccessPackageCallout => {
  const checked = checkAccessPackageCallout(body);
  if (!checked.ok || checked.kind !== 'callout') throw new Error('not a callout');
  return checked.callout;
};

describe('ENTRA_EXTENSION_CALLERS', () => {
  it('a kind alone means the well-known first-party app; another app id may be given; each mistake is named', () => {
    const problems: string[] = [];
    expect(parseExtensionCallers('access-package, lifecycle-task', problems)).toEqual([
      { kind: 'access-package', appId: EM },
      { kind: 'lifecycle-task', appId: LCW },
    ]);
    expect(parseExtensionCallers(`access-package=${G(9).toUpperCase()}`, problems)).toEqual([
      { kind: 'access-package', appId: G(9) },
    ]);
    expect(problems).toEqual([]);
    parseExtensionCallers('servicenow,access-package=nope,lifecycle-task,lifecycle-task', problems);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("'servicenow'");
    expect(problems[1]).toContain('must be a GUID');
    expect(problems[2]).toContain('twice');
    expect(parseExtensionCallers('', [])).toEqual([]);
  });
});

describe('the callouts', () => {
  it('the connection test, a full callout, and a missing field named', () => {
    expect(checkAccessPackageCallout({ Stage: 'CustomExtensionConnectionTest' })).toEqual({
      ok: true,
      kind: 'test',
    });
    expect(parsedAccessPackage().Requestor.ObjectId).toBe(G(5));
    const missing = checkAccessPackageCallout(accessPackage({ Requestor: undefined }));
    expect(missing).toMatchObject({ ok: false, field: 'Requestor' });
    // Only the stages a request can wait at: not a removal or an expiry reminder.
    expect(checkAccessPackageCallout(accessPackage({ Stage: 'assignmentRequestRemoved' })).ok).toBe(false);
  });

  it('a lifecycle callback path must be a task processing result resume, never another Graph path', () => {
    expect(checkLifecycleCallout(lifecycle()).ok).toBe(true);
    for (const path of [
      `/users/${G(4)}/authentication/temporaryAccessPassMethods`,
      `${CALLBACK}/../../../../../../users`,
      `https://evil.example${CALLBACK}`,
    ])
      expect(checkLifecycleCallout(lifecycle(path))).toMatchObject({
        ok: false,
        field: 'data.callbackUriPath',
      });
  });
});

describe('a callout becomes an approval', () => {
  it('the requestor asks, the subject is the person, Entra’s retry is the same request, and the requestor cannot approve', async () => {
    const w = coreWorld();
    // The fakes' people have short ids: the parsed callout's GUIDs are swapped for theirs.
    const draft = {
      ...accessPackageDraft(EM, parsedAccessPackage(), w.deps.approvals),
      requester: mona,
      userId: tom.oid,
    };
    const first = await submitCallout(w.deps, draft, async () => true);
    expect(first.kind).toBe('created');
    const request = (first as { request: TapRequest }).request;
    expect(request).toMatchObject({
      state: 'awaiting',
      requester: mona,
      query: tom.oid,
      source: {
        kind: 'access-package',
        clientId: EM,
        callout: { stageInstanceId: G(2), assignmentRequestId: G(1) },
      },
      approval: { reason: expect.stringContaining('lost phone') },
    });
    const retried = await submitCallout(w.deps, draft, async () => true);
    expect(retried).toEqual({ kind: 'replayed', request });
    expect((await w.audit('approval.requested')).map((e) => e.source)).toEqual(['access-package']);
    const own = await approveRequest(w.deps, w.as(mona), inChannel(request.id, mona));
    expect(codeOf(own)).toBe('APPROVAL_OWN_REQUEST');
    // An approver reads Tom first, with their own token; nothing is created yet.
    const check = await approveRequest(w.deps, w.as(alice), inChannel(request.id, alice));
    expect(check).toMatchObject({ kind: 'reopened', problem: { code: 'API_REQUEST_CHECKED' } });
    expect(w.tenant.createsSent()).toBe(0);
  });

  it('nothing is stored when the approvers cannot be reached', async () => {
    const w = coreWorld();
    const draft = accessPackageDraft(EM, parsedAccessPackage(), w.deps.approvals);
    expect(codeOf(await submitCallout(w.deps, draft, async () => false))).toBe('APPROVERS_UNREACHABLE');
    expect(await w.audit()).toHaveLength(0);
  });

  it('a joiner: the workflow asks, for the manager', () => {
    const checked = checkLifecycleCallout(lifecycle());
    if (!checked.ok) throw new Error('bad');
    const draft = lifecycleDraft(LCW, checked.callout as LifecycleCallout);
    expect(draft).toMatchObject({
      key: G(8),
      requester: { oid: LCW, name: 'Lifecycle Workflows' },
      userId: G(4),
      deliverTo: 'manager',
      source: { kind: 'lifecycle-task', callout: { kind: 'lifecycle-task', callbackUriPath: CALLBACK } },
    });
  });
});

describe('the resume', () => {
  const base = (source: TapRequest['source'], state: TapRequest['state']): TapRequest =>
    ({ id: 'r', state, source, approval: { decidedBy: alice } }) as unknown as TapRequest;
  const ap: TapRequest['source'] = {
    kind: 'access-package',
    clientId: EM,
    ticket: { system: 'Access package', number: 'TAP' },
    callout: {
      kind: 'access-package',
      assignmentRequestId: G(1),
      stageInstanceId: G(2),
      stage: 'assignmentRequestCreated',
    },
  };
  const lcw: TapRequest['source'] = {
    kind: 'lifecycle-task',
    clientId: LCW,
    ticket: { system: 'Lifecycle workflow', number: 'Onboard' },
    callout: { kind: 'lifecycle-task', callbackUriPath: CALLBACK },
  };

  it('none while the approval is open', () => {
    expect(resumeCallFor(base(ap, 'awaiting'))).toBeUndefined();
    expect(resumeCallFor(base(ap, 'issuing'))).toBeUndefined();
    expect(resumeCallFor(base(undefined, 'issued'))).toBeUndefined();
  });

  it('access package: an issued pass lets it go on; anything else denies it; the detail never holds a pass', () => {
    const go = resumeCallFor(base(ap, 'issued'))!;
    expect(go.path).toBe(`/identityGovernance/entitlementManagement/assignmentRequests/${G(1)}/resume`);
    expect(go.body).toMatchObject({
      type: 'microsoft.graph.accessPackageCustomExtensionStage.assignmentRequestCreated',
      data: { customExtensionStageInstanceId: G(2), stage: 'assignmentRequestCreated' },
    });
    expect((go.body.data as Record<string, unknown>).state).toBeUndefined();
    for (const state of ['rejected', 'expired', 'failed', 'unknown', 'cancelled'] as const)
      expect(resumeCallFor(base(ap, state))).toMatchObject({
        decision: 'denied',
        body: { data: { state: 'denied' } },
      });
  });

  it('lifecycle task: completed after issue, failed otherwise; a tampered path is never called', () => {
    expect(resumeCallFor(base(lcw, 'issued'))).toMatchObject({
      path: CALLBACK,
      body: { data: { operationStatus: 'completed' } },
    });
    expect(resumeCallFor(base(lcw, 'rejected'))).toMatchObject({
      body: { data: { operationStatus: 'failed' } },
    });
    const tampered = { ...lcw!, callout: { kind: 'lifecycle-task' as const, callbackUriPath: '/users/x' } };
    expect(resumeCallFor(base(tampered, 'issued'))).toBeUndefined();
  });

  it("a joiner's pass for the manager: no resume until it is delivered; completed once it is, failed when it was not", () => {
    const forManager = (outcome?: 'delivered' | 'failed'): TapRequest =>
      ({
        id: 'r',
        state: 'issued',
        source: lcw,
        approval: { decidedBy: alice, deliverTo: 'manager', ...(outcome ? { delivery: { outcome } } : {}) },
      }) as unknown as TapRequest;
    expect(resumeCallFor(forManager())).toBeUndefined();
    expect(resumeCallFor(forManager('delivered'))).toMatchObject({ decision: 'completed' });
    expect(resumeCallFor(forManager('failed'))).toMatchObject({ decision: 'failed' });
  });
});
