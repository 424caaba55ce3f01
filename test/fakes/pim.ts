// A scripted PIM for unit tests of just-in-time activation: the signed-in person's eligibilities, and
// an answer per activation (Granted by default). A granted activation makes the role active in the
// fake tenant, as Entra does, so what the core does next sees it.
import { GraphFailure } from '../../src/graph/failure.js';
import type { ActivationResult, EligibleRole, PimGraph, SelfActivation } from '../../src/graph/pim-port.js';
import type { FakeTenant } from './graph.js';

export type ActivationAnswer =
  { status: string } | { fail: { status: number; code: string; message: string } };

export class FakePim implements PimGraph {
  readonly calls: SelfActivation[] = [];
  /** Answers in order; once used up, every activation is Granted. */
  readonly answers: ActivationAnswer[] = [];

  constructor(
    private readonly tenant: FakeTenant,
    private readonly signedIn: string,
    readonly eligible: EligibleRole[],
  ) {}

  myEligibleRoles(): Promise<EligibleRole[]> {
    return Promise.resolve(structuredClone(this.eligible));
  }

  selfActivate(request: SelfActivation): Promise<ActivationResult> {
    this.calls.push(structuredClone(request));
    const answer = this.answers.shift() ?? { status: 'Granted' };
    if ('fail' in answer) {
      const { status, code, message } = answer.fail;
      return Promise.reject(new GraphFailure(status, code, message, undefined, undefined));
    }
    // Like Entra, only the signed-in person's own role becomes active.
    const user = this.tenant.users.get(this.signedIn);
    if (answer.status === 'Granted' && user && request.principalId === this.signedIn)
      user.roles.push(request.roleDefinitionId);
    return Promise.resolve({ id: `activation-${this.calls.length}`, status: answer.status });
  }
}

/** PIM's refusal of a request breaking these rules, as Graph sends it (next-wave §2.5). */
export const ruleFailure = (...rules: string[]): ActivationAnswer => ({
  fail: {
    status: 400,
    code: 'RoleAssignmentRequestPolicyValidationFailed',
    message: `The following policy rules failed: ${JSON.stringify(rules)}`,
  },
});
