import type { TurnContext } from 'botbuilder';
import type { DeviceGraph, DeviceWriteGraph } from '../graph/device-port.js';
import type { TapGraph } from '../graph/port.js';
import type { Logger } from '../log.js';
import type { Person } from '../tap/request.js';
import { actorOf, type Actor } from './actor.js';
import type { TeamsDeps } from './context.js';
import { turnFields } from './turn-fields.js';

/**
 * Everything a handler needs about one activity, built once: who acts (as Teams reports it, never as
 * a card says), a logger that already carries the turn's fields, and the actor's own Graph access.
 */
export interface Turn {
  readonly context: TurnContext;
  readonly deps: TeamsDeps;
  readonly actor: Actor;
  /** The actor as the core records people. */
  readonly person: Person;
  /** A child logger with the turn's identifying fields (never user content). */
  readonly log: Logger;
  readonly conversationId: string;
  /**
   * The actor's delegated Graph access (Teams SSO → OBO), made at most once per turn. Throws
   * LoginRequiredError before anything changed when Teams gave no usable token.
   */
  graph(): Promise<TapGraph>;
  /** The actor's delegated Intune device reads (their own OBO token with the device scope). */
  devices(): Promise<DeviceGraph>;
  /** The actor's delegated Intune device writes (onboarding's Confirm only). */
  deviceWrites(): Promise<DeviceWriteGraph>;
  now(): Date;
}

/** Graph reads and the OBO exchange of one handler stay within this, so a click is answered in time. */
const GRAPH_ACCESS_TIMEOUT_MS = 5_000;

/** The turn for an activity, or null when Teams named no Entra user (nobody to act as). */
export function startTurn(context: TurnContext, deps: TeamsDeps): Turn | null {
  const actor = actorOf(context.activity);
  if (!actor) return null;
  let graph: Promise<TapGraph> | undefined;
  return {
    context,
    deps,
    actor,
    person: { oid: actor.oid, name: actor.name },
    log: deps.log.child(turnFields(context)),
    conversationId: context.activity.conversation.id,
    graph: () =>
      (graph ??= deps.graph.forUser(context, actor.oid, AbortSignal.timeout(GRAPH_ACCESS_TIMEOUT_MS))),
    devices: () =>
      deps.graph.devicesForUser(context, actor.oid, AbortSignal.timeout(GRAPH_ACCESS_TIMEOUT_MS)),
    deviceWrites: () =>
      deps.graph.deviceWritesForUser(context, actor.oid, AbortSignal.timeout(GRAPH_ACCESS_TIMEOUT_MS)),
    now: () => deps.core.clock.now(),
  };
}
