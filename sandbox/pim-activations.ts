import type { FixtureRole } from './fixture.js';

/** One self-activation the sandbox's PIM granted or holds for approval (contract next-wave §2.3, §2.7). */
export interface Activation {
  /** The roleAssignmentScheduleRequest's id. */
  requestId: string;
  principalId: string;
  roleTemplateId: string;
  displayName: string;
  directoryScopeId: string;
  status: 'Granted' | 'PendingApproval';
  approvalId: string | null;
  createdDateTime: Date;
  startDateTime: Date;
  endDateTime: Date;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
}

const sameRole = (a: Activation, principalId: string, roleTemplateId: string, scope: string) =>
  a.principalId === principalId &&
  a.roleTemplateId.toLowerCase() === roleTemplateId.toLowerCase() &&
  a.directoryScopeId === scope;

/** PIM activations on the sandbox clock: a granted one holds the role from its start until its end. */
export class PimActivations {
  private items: Activation[] = [];

  add(activation: Activation): void {
    this.items.push(activation);
  }

  clear(): void {
    this.items = [];
  }

  /** Granted activations in force at `now` (start inclusive, end exclusive). */
  active(now: Date): Activation[] {
    const t = now.getTime();
    return this.items.filter(
      (a) => a.status === 'Granted' && a.startDateTime.getTime() <= t && t < a.endDateTime.getTime(),
    );
  }

  /** An approver agreed: a waiting request becomes Granted from `now`, for the length it asked. */
  approve(requestId: string, now: Date): boolean {
    const found = this.items.find((a) => a.requestId === requestId && a.status === 'PendingApproval');
    if (!found) return false;
    const lengthMs = found.endDateTime.getTime() - found.startDateTime.getTime();
    found.status = 'Granted';
    found.startDateTime = now;
    found.endDateTime = new Date(now.getTime() + lengthMs);
    return true;
  }

  /** The roles a user holds through activations in force at `now`, as the directory counts roles. */
  activeRolesOf(userId: string, now: Date): FixtureRole[] {
    return this.active(now)
      .filter((a) => a.principalId === userId)
      .map((a) => ({
        displayName: a.displayName,
        roleTemplateId: a.roleTemplateId,
        directoryScopeId: a.directoryScopeId,
      }));
  }

  /** The activation of this role in force at `now`, if any. */
  activeFor(principalId: string, roleTemplateId: string, scope: string, now: Date): Activation | undefined {
    return this.active(now).find((a) => sameRole(a, principalId, roleTemplateId, scope));
  }

  /** A request of this principal for this role still waiting for an approver. */
  pendingFor(principalId: string, roleTemplateId: string, scope: string): Activation | undefined {
    return this.items.find(
      (a) => a.status === 'PendingApproval' && sameRole(a, principalId, roleTemplateId, scope),
    );
  }

  /** The `/_sandbox/state` view: every activation, with whether it is in force now. */
  snapshot(now: Date): Array<Record<string, unknown>> {
    const inForce = new Set(this.active(now));
    return this.items.map((a) => ({
      requestId: a.requestId,
      principalId: a.principalId,
      roleDefinitionId: a.roleTemplateId,
      roleName: a.displayName,
      directoryScopeId: a.directoryScopeId,
      status: a.status,
      startDateTime: a.startDateTime.toISOString(),
      endDateTime: a.endDateTime.toISOString(),
      justification: a.justification,
      ticketNumber: a.ticketNumber,
      active: inForce.has(a),
    }));
  }
}
