import type { TurnContext } from 'botbuilder';
import { subjectMismatch } from '../auth/assertion-subject.js';
import type { DelegatedTokenSource } from '../auth/obo.js';
import { LoginRequiredError } from '../auth/obo.js';
import type { GraphClientOptions } from '../graph/client.js';
import { GraphTapClient } from '../graph/client.js';
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
    const assertion = await this.assertions.assertionFor(context, userOid, signal);
    if (!assertion) throw new LoginRequiredError('no assertion');
    // Every assertion, whatever its source (click, token exchange, sandbox), must name the clicker.
    if (!this.belongsTo(context, userOid, assertion)) throw new LoginRequiredError('subject_mismatch');
    const accessToken = await this.tokens.graphToken(assertion, signal);
    const client = new GraphTapClient(accessToken, this.graphOptions);
    return this.policy ? withTenantPolicy(client, this.policy) : client;
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
