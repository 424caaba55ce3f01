import { describe, expect, it } from 'vitest';
import { WaitingCommands } from '../../src/chat/waiting-commands.js';

const command = { kind: 'issue' as const, who: 'alice@contoso.com' };

describe('commands waiting for a Teams token', () => {
  it('are replayed once, per user and conversation', () => {
    const waiting = new WaitingCommands();
    waiting.park('dana', 'chat-1', command, 0);
    expect(waiting.take('mallory', 'chat-1', 1)).toBeUndefined();
    expect(waiting.take('dana', 'chat-2', 1)).toBeUndefined();
    expect(waiting.take('dana', 'chat-1', 1)).toEqual(command);
    expect(waiting.take('dana', 'chat-1', 2)).toBeUndefined();
  });

  it('go stale after five minutes', () => {
    const waiting = new WaitingCommands();
    waiting.park('dana', 'chat-1', command, 0);
    expect(waiting.take('dana', 'chat-1', 5 * 60_000 + 1)).toBeUndefined();
  });

  it('are bounded: the oldest is dropped first', () => {
    const waiting = new WaitingCommands();
    for (let i = 0; i <= 1_000; i++) waiting.park(`user-${i}`, 'chat', command, 0);
    expect(waiting.take('user-0', 'chat', 1)).toBeUndefined();
    expect(waiting.take('user-1000', 'chat', 1)).toEqual(command);
  });
});
