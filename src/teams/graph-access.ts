import type { TurnContext } from 'botbuilder';
import { subjectMismatch } from '../auth/assertion-subject.js';
import type { DelegatedTokenSource } from '../auth/obo.js';
import { LoginRequiredError } from '../auth/obo.js';
import type { GraphClientOptions } from '../graph/client.js';
import { GraphTapClient } from '../graph/client.js';
import { GraphDeviceClient } from '../graph/device-client.js';
import type { DeviceGraph, DeviceWriteGraph } from '../graph/device-port.js';
import { DEVICE_READ_SCOPES, DEVICE_WRITE_SCOPES } from '../config.js';
import { problem, ProblemError } from '../errors/catalog.js';
import type { TapGraph } from '../graph/port.js';
import { withTenantPolicy, type PolicySource } from '../graph/policy-graph.js';
import type { Logger } from '../log.js';
import type { AssertionSource } from './assertions.js';
import { turnFields } from './turn-fields.js';

/** Turns "this user in this turn" into a Graph client that acts as them: assertion → OBO → client. */
export class GraphAccess {
  constructor(
    private readonly assertions: AssertionSource,
    private readonly tokens: DelegatedTokenSource,
    private readonly graphOptions: GraphClientOptions,
    private readonly identity: { tenantId: string; log: Logger },
    /** TapDesk's own read of the TAP policy, when Policy.Read.AuthenticationMethod is granted. */
    private readonly policy?: PolicySource,
  ) {}

  /** Throws LoginRequiredError when no usable assertion exists; nothing has been changed by then. */
  async forUser(context: TurnContext, userOid: string, signal?: AbortSignal): Promise<TapGraph> {
    const accessToken = await this.tokenFor(context, userOid, signal);
    const client = new GraphTapClient(accessToken, this.graphOptions);
    return this.policy ? withTenantPolicy(client, this.policy) : client;
  }

  /**
   * The user's Intune device reads, with a token of its own (DEVICE_READ_SCOPES): a tenant that has
   * not consented to the device scope gets DEVICES_NOT_CONSENTED here, and its passes keep working.
   */
  async devicesForUser(context: TurnContext, userOid: string, signal?: AbortSignal): Promise<DeviceGraph> {
    return this.deviceClient(context, userOid, signal, DEVICE_READ_SCOPES, 'DEVICES_NOT_CONSENTED');
  }

  /** Onboarding's device writes (DEVICE_WRITE_SCOPES), asked for only at an onboarding's Confirm. */
  async deviceWritesForUser(
    context: TurnContext,
    userOid: string,
    signal?: AbortSignal,
  ): Promise<DeviceWriteGraph> {
    return this.deviceClient(
      context,
      userOid,
      signal,
      DEVICE_WRITE_SCOPES,
      'ONBOARD_DEVICE_WRITE_NOT_CONSENTED',
    );
  }

  private async deviceClient(
    context: TurnContext,
    userOid: string,
    signal: AbortSignal | undefined,
    scopes: string[],
    notConsented: 'DEVICES_NOT_CONSENTED' | 'ONBOARD_DEVICE_WRITE_NOT_CONSENTED',
  ): Promise<GraphDeviceClient> {
    try {
      const accessToken = await this.tokenFor(context, userOid, signal, scopes);
      return new GraphDeviceClient(accessToken, this.graphOptions);
    } catch (error) {
      if (error instanceof ProblemError && error.problem.code === 'CONSENT_REQUIRED')
        throw new ProblemError(problem(notConsented));
      throw error;
    }
  }

  private async tokenFor(
    context: TurnContext,
    userOid: string,
    signal: AbortSignal | undefined,
    scopes?: string[],
  ): Promise<string> {
    const assertion = await this.assertions.assertionFor(context, userOid, signal);
    if (!assertion) throw new LoginRequiredError('no assertion');
    // Every assertion, whatever its source (click, token exchange, sandbox), must name the clicker.
    if (!this.belongsTo(context, userOid, assertion)) throw new LoginRequiredError('subject_mismatch');
    return this.tokens.graphToken(assertion, signal, scopes);
  }

  /** Keeps a token-exchange assertion for later turns; false (and nothing kept) if it names someone else. */
  remember(context: TurnContext, userOid: string, assertion: string): boolean {
    if (!this.belongsTo(context, userOid, assertion)) return false;
    this.assertions.remember(userOid, assertion);
    return true;
  }

  private belongsTo(context: TurnContext, userOid: string, assertion: string): boolean {
    const mismatch = subjectMismatch(assertion, { oid: userOid, tid: this.identity.tenantId });
    if (mismatch === null) return true;
    // Which claim differed is enough to investigate; the token itself is never logged.
    this.identity.log.warn(
      { ...turnFields(context), event: 'auth.subject_mismatch', claim: mismatch },
      'auth.subject_mismatch',
    );
    return false;
  }
}
