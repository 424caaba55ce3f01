import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { GraphTapClient } from './client.js';
import { nextLinkOf } from './next-link.js';
import type { ActivationResult, EligibleRole, PimGraph, SelfActivation } from './pim-port.js';

/** A person has a handful of eligibilities; this bounds a listing that never ends. */
const MAX_PAGES = 5;

export const MY_ELIGIBILITIES_PATH =
  "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')";
export const ACTIVATION_REQUESTS_PATH = '/roleManagement/directory/roleAssignmentScheduleRequests';

interface EligibilityEntry {
  roleDefinitionId?: unknown;
  directoryScopeId?: unknown;
  roleDefinition?: { displayName?: unknown } | null;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Graph's PIM endpoints with the user's own (PIM-scoped) token: their eligibilities, their activation. */
export class GraphPimClient extends GraphTapClient implements PimGraph {
  async myEligibleRoles(signal?: AbortSignal): Promise<EligibleRole[]> {
    let request = this.get(MY_ELIGIBILITIES_PATH, signal).expand('roleDefinition');
    const roles: EligibleRole[] = [];
    for (let page = 1; ; page++) {
      const current = request;
      const body = (await this.call(() => current.get())) as {
        value?: EligibilityEntry[];
        '@odata.nextLink'?: unknown;
      };
      for (const entry of body.value ?? []) {
        const roleDefinitionId = text(entry.roleDefinitionId);
        if (!roleDefinitionId) continue;
        roles.push({
          roleDefinitionId,
          displayName: text(entry.roleDefinition?.displayName) ?? roleDefinitionId,
          directoryScopeId: text(entry.directoryScopeId) ?? '/',
        });
      }
      const next = nextLinkOf(body, page, MAX_PAGES, (url) => this.isOwnUrl(url), 'Eligibilities');
      if (next === undefined) return roles;
      request = this.get(next, signal);
    }
  }

  async selfActivate(request: SelfActivation, signal?: AbortSignal): Promise<ActivationResult> {
    const body = {
      action: 'selfActivate',
      principalId: request.principalId,
      roleDefinitionId: request.roleDefinitionId,
      directoryScopeId: request.directoryScopeId,
      ...(request.justification ? { justification: request.justification } : {}),
      scheduleInfo: {
        startDateTime: new Date().toISOString(),
        expiration: { type: 'afterDuration', duration: `PT${request.durationMinutes}M` },
      },
      ...(request.ticketNumber ? { ticketInfo: { ticketNumber: request.ticketNumber } } : {}),
    };
    const created = (await this.call(() =>
      this.get(ACTIVATION_REQUESTS_PATH, signal)
        // One request per click: a blind retry would at best be refused as a duplicate.
        .middlewareOptions([new RetryHandlerOptions(0, 0, () => false)])
        .post(body),
    )) as { id?: unknown; status?: unknown };
    return { id: text(created.id) ?? '', status: text(created.status) ?? 'Unknown' };
  }
}
