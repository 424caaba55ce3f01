import type { TurnContext } from 'botbuilder';
import type { DelegatedTokenSource } from '../auth/obo.js';
import { LoginRequiredError } from '../auth/obo.js';
import type { GraphClientOptions } from '../graph/client.js';
import { GraphTapClient } from '../graph/client.js';
import type { TapGraph } from '../graph/port.js';
import type { AssertionSource } from './assertions.js';

/** Turns "this user in this turn" into a Graph client that acts as them: assertion → OBO → client. */
export class GraphAccess {
  constructor(
    private readonly assertions: AssertionSource,
    private readonly tokens: DelegatedTokenSource,
    private readonly graphOptions: GraphClientOptions,
  ) {}

  /** Throws LoginRequiredError when no usable assertion exists; nothing has been changed by then. */
  async forUser(context: TurnContext, userOid: string, signal?: AbortSignal): Promise<TapGraph> {
    const assertion = await this.assertions.assertionFor(context, userOid, signal);
    if (!assertion) throw new LoginRequiredError('no assertion');
    const accessToken = await this.tokens.graphToken(assertion, signal);
    return new GraphTapClient(accessToken, this.graphOptions);
  }

  remember(userOid: string, assertion: string): void {
    this.assertions.remember(userOid, assertion);
  }
}
