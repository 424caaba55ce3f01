const WAIT_LIMIT_MS = 5 * 60_000;
const MAX_WAITING = 1_000;

/**
 * Commands typed while Teams had not yet given us the user's SSO token; replayed when the
 * `signin/tokenExchange` arrives. Memory only: after a restart the user simply types again.
 */
export class WaitingCommands<Command> {
  private readonly byKey = new Map<string, { command: Command; at: number }>();

  park(userOid: string, conversationId: string, command: Command, now = Date.now()): void {
    if (this.byKey.size >= MAX_WAITING) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(`${userOid}|${conversationId}`, { command, at: now });
  }

  /** Takes the user's parked command in this conversation, if it is still fresh. */
  take(userOid: string, conversationId: string, now = Date.now()): Command | undefined {
    const key = `${userOid}|${conversationId}`;
    const entry = this.byKey.get(key);
    this.byKey.delete(key);
    return entry && now - entry.at < WAIT_LIMIT_MS ? entry.command : undefined;
  }
}
