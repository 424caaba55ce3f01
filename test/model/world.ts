// The model test's world: one in-process harness (sandbox tenant, recording connector, bot on a
// SQLite file) reused across sequences, returned to a clean start before each, and the bookkeeping
// a run needs: every card button seen, every click sent, a readable trace.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { VERBS, type Verb } from '../../src/cards/actions.js';
import { APPROVALS_CHANNEL, botAdded, click, inConversation, message, post } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { sandboxAdmin } from '../helpers/sandbox-admin.js';
import { PEOPLE, type PersonName } from './people.js';
import type { Step, Where } from './steps.js';

/** TapDesk's cap on a pass's lifetime for the model runs (invariant 5). */
export const MAX_LIFETIME_MINUTES = 60;

export const MODEL_OVERRIDES: Record<string, string> = {
  TAP_MAX_LIFETIME_MINUTES: String(MAX_LIFETIME_MINUTES),
  // Limits would refuse most creates after a few sequences' worth of clicks; they have their own tests.
  TAP_LIMIT_PER_ISSUER_PER_HOUR: '10000',
  TAP_LIMIT_PER_TARGET_PER_DAY: '1000',
  TAP_LIMIT_TENANT_PER_HOUR: '100000',
  // A bulk of 2 runs on its requester's Confirm; a bulk of 3 needs a second admin (bulk.ask / approve).
  BULK_APPROVAL_ABOVE: '2',
};

/** Where a click happened, as Teams reports it: the clicker's 1:1 chat or the approvers' channel thread. */
export const APPROVERS_THREAD = `${APPROVALS_CHANNEL};messageid=1`;

/** One Action.Execute button found in something the bot sent (connector) or answered (invoke). */
export interface Button {
  verb: string;
  data: Record<string, unknown>;
  /** Readable origin: "card in dana's chat". */
  seenIn: string;
  /** The conversation it was shown in. */
  conversationId: string;
}

/** A click as sent, kept for replays and for judging which step issued a pass. */
export interface SentClick {
  step: number;
  who: PersonName;
  oid: string;
  verb: string;
  data: Record<string, unknown>;
  conversationId: string;
  activity: ReturnType<typeof click>;
}

/** What one step did, for the trace and the invariants. */
export interface StepRecord {
  index: number;
  text: string;
  actor?: PersonName;
  click?: SentClick;
  /** The invoke response's body (to the clicker only), or undefined for messages. */
  response?: unknown;
}

function buttonsIn(node: unknown, seenIn: string, conversationId: string, into: Button[]): void {
  if (Array.isArray(node)) node.forEach((n) => buttonsIn(n, seenIn, conversationId, into));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string' && o.data && typeof o.data === 'object')
      into.push({ verb: o.verb, data: o.data as Record<string, unknown>, seenIn, conversationId });
    Object.values(o).forEach((v) => buttonsIn(v, seenIn, conversationId, into));
  }
}

/** A short summary of an invoke answer for the trace: its first text, or the message it carries. */
function gist(body: unknown): string {
  const b = body as { value?: unknown } | undefined;
  if (typeof b?.value === 'string') return b.value.slice(0, 80);
  const first = JSON.stringify(b?.value ?? '').match(/"text":"((?:[^"\\]|\\.){1,80})/);
  return first ? first[1]! : '';
}

/** Who may click a card where it is shown: the chat's owner, or in the approvers' channel its members. */
const APPROVERS: PersonName[] = ['dana', 'erin', 'frank', 'kim', 'harry'];

const idOf = (data: Record<string, unknown>) => String(data.requestId ?? data.bulkId ?? '');

/** The inputs Teams adds to a click (the card's Input.* values), so a real button sends what a person would. */
function withInputs(verb: string, data: Record<string, unknown>): Record<string, unknown> {
  if (verb === VERBS.confirm) return { verification: 'callback', ticket: '', ...data };
  if (verb === VERBS.reject || verb === VERBS.bulkReject) return { ...data, rejectReason: 'not today' };
  return data;
}

/** Another verb's data around the same request (or bulk) id. */
function forged(verb: Verb, from: Record<string, unknown>, fallbackUserId: string): Record<string, unknown> {
  const id = idOf(from);
  if (verb.startsWith('bulk.')) return withInputs(verb, { bulkId: id });
  if (verb === VERBS.choose) return { requestId: id, userId: String(from.userId ?? fallbackUserId) };
  return withInputs(verb, { requestId: id });
}

export class ModelWorld {
  buttons: Button[] = [];
  clicks: SentClick[] = [];
  records: StepRecord[] = [];
  /** Connector calls already scanned for buttons. */
  private scanned = 0;
  private constructor(readonly h: Harness) {}

  static async start(): Promise<ModelWorld> {
    return new ModelWorld(await startHarness(MODEL_OVERRIDES));
  }

  person(name: PersonName) {
    return this.h.user(PEOPLE[name]);
  }

  nameOf(oid: string | null | undefined): string {
    const found = (Object.keys(PEOPLE) as PersonName[]).find((n) => this.person(n).id === oid);
    if (found) return found;
    const user = this.h.sandbox.tenant.users.find((u) => u.id === oid);
    return user ? user.userPrincipalName.split('@')[0]! : String(oid);
  }

  /**
   * A clean start: a fresh bot process-state (restart), an empty store, the tenant as in the fixture
   * (passes, Graph log, clock, policy) and nothing recorded; then TapDesk is added to the approvers'
   * channel, as a Teams admin would.
   */
  async reset(): Promise<void> {
    await this.h.restartBot();
    const db = new Database(this.h.dbPath);
    try {
      db.pragma('busy_timeout = 5000');
      db.exec('DELETE FROM rows');
    } finally {
      db.close();
    }
    await sandboxAdmin(this.h, 'POST', '/reset');
    this.h.connector.calls.length = 0;
    this.h.logLines.length = 0;
    this.h.graphCalls.length = 0;
    this.buttons = [];
    this.clicks = [];
    this.records = [];
    this.scanned = 0;
    this.aliases.clear();
    const added = await post(this.h, botAdded(this.h, this.person('dana'), APPROVALS_CHANNEL));
    if (added.status !== 200) throw new Error(`adding TapDesk to the approvers' channel: ${added.status}`);
  }

  private conversationFor(who: PersonName, where: Where): string {
    return where === 'approvers' ? APPROVERS_THREAD : `a:1:${this.person(who).id}`;
  }

  private scanConnector(): void {
    const calls = this.h.connector.calls;
    for (; this.scanned < calls.length; this.scanned += 1) {
      const call = calls[this.scanned]!;
      const id = call.conversationId;
      buttonsIn(call.activity, `card in ${this.conversationName(id)}`, id, this.buttons);
    }
  }

  conversationName(id: string): string {
    if (id.startsWith(APPROVALS_CHANNEL)) return 'the approvers’ channel';
    const oid = /^a:1:(.+)$/.exec(id)?.[1];
    return oid ? `${this.nameOf(oid)}'s chat` : id;
  }

  /** Runs one step and records what happened. */
  async run(step: Step): Promise<StepRecord> {
    const index = this.records.length;
    const record: StepRecord = { index, text: '' };
    switch (step.kind) {
      case 'say': {
        const activity = message(this.h, this.person(step.who), step.text);
        const sent = step.where === 'approvers' ? inConversation(activity, APPROVALS_CHANNEL) : activity;
        const before = this.h.connector.sent().length;
        await post(this.h, sent);
        const reply = this.h.connector.sent()[before]?.activity;
        const said = reply
          ? typeof reply.text === 'string'
            ? reply.text.slice(0, 80)
            : gist({ value: reply.attachments })
          : '';
        record.actor = step.who;
        record.text = `${step.who} says "${step.text}"${step.where === 'approvers' ? ' in the approvers’ channel' : ''} → “${said}”`;
        break;
      }
      case 'press':
      case 'forge': {
        // Newest first: pick 0 is the last button seen with that verb (any button when none has it).
        const wanted = step.kind === 'press' ? step.verb : step.from;
        const withVerb = this.buttons.filter((b) => b.verb === wanted);
        const among = withVerb.length > 0 ? withVerb : this.buttons;
        const button = among[among.length - 1 - (step.pick % Math.max(1, among.length))];
        if (!button) {
          record.text = `${step.who} finds no button to click (none seen yet)`;
          break;
        }
        const { who, where } = this.resolveClicker(step, button);
        const verb = step.kind === 'press' ? button.verb : step.verb;
        const data =
          step.kind === 'press'
            ? withInputs(verb, button.data)
            : forged(step.verb, button.data, this.person('bob').id);
        const sent = await this.click(who, verb, data, where, index);
        record.actor = who;
        record.click = sent.click;
        record.response = sent.response;
        const how =
          step.kind === 'press'
            ? `presses ${verb} (${button.seenIn})`
            : `sends ${verb} with the id of ${button.verb} (${button.seenIn})`;
        record.text = `${who} ${how} for ${this.alias(idOf(data))} in ${this.conversationName(sent.click.conversationId)} → “${gist(sent.response)}”`;
        break;
      }
      case 'replay': {
        const earlier = this.clicks[step.pick % Math.max(1, this.clicks.length)];
        if (!earlier) {
          record.text = 'a replay, but nothing was clicked yet';
          break;
        }
        const activity = { ...earlier.activity, id: `test-${randomUUID()}` };
        const response = await post(this.h, activity);
        const replayed: SentClick = { ...earlier, step: index, activity };
        this.clicks.push(replayed);
        buttonsIn(response.body, `answer to ${earlier.who}`, earlier.conversationId, this.buttons);
        record.actor = earlier.who;
        record.click = replayed;
        record.response = response.body;
        record.text = `replay of ${earlier.who}'s ${earlier.verb} for ${this.alias(idOf(earlier.data))} (from step ${earlier.step + 1}) → “${gist(response.body)}”`;
        break;
      }
      case 'clock':
        await sandboxAdmin(this.h, 'POST', '/clock', { advanceMinutes: step.minutes });
        record.text = `the clock moves ${step.minutes} minutes on`;
        break;
      case 'policy':
        await sandboxAdmin(this.h, 'POST', '/policy', { defaultLifetimeInMinutes: step.defaultMinutes });
        record.text = `a tenant admin sets the TAP policy's default lifetime to ${step.defaultMinutes} min`;
        break;
    }
    this.records.push(record);
    return record;
  }

  /** 'owner' clicks where the card is: the chat's owner, or an approver in the approvers' channel. */
  private resolveClicker(step: { who: PersonName | 'owner'; where: Where; pick: number }, button: Button) {
    if (step.who !== 'owner') return { who: step.who, where: step.where };
    if (button.conversationId.startsWith(APPROVALS_CHANNEL))
      return { who: APPROVERS[step.pick % APPROVERS.length]!, where: 'approvers' as const };
    const oid = /^a:1:(.+)$/.exec(button.conversationId)?.[1];
    const owner = (Object.keys(PEOPLE) as PersonName[]).find((n) => this.person(n).id === oid);
    return { who: owner ?? 'mallory', where: 'personal' as const };
  }

  private async click(
    who: PersonName,
    verb: string,
    data: Record<string, unknown>,
    where: Where,
    step: number,
  ) {
    const conversationId = this.conversationFor(who, where);
    const base = click(this.h, this.person(who), verb, data);
    const activity = where === 'approvers' ? inConversation(base, conversationId) : base;
    const response = await post(this.h, activity);
    const sent: SentClick = {
      step,
      who,
      oid: this.person(who).id,
      verb,
      data,
      conversationId,
      activity,
    };
    this.clicks.push(sent);
    buttonsIn(response.body, `answer to ${who}`, conversationId, this.buttons);
    return { click: sent, response: response.body };
  }

  /** Short, stable names for request and bulk ids, in order of first appearance: R1, R2, … */
  private aliases = new Map<string, string>();
  alias(id: string): string {
    if (!id) return '(no id)';
    let name = this.aliases.get(id);
    if (!name) this.aliases.set(id, (name = `R${this.aliases.size + 1}`));
    return name;
  }

  /**
   * Waits until nothing is still happening: no Graph request held by the sandbox and every bulk
   * this run started has finished (bulks run in the background of the bot). Then collects buttons.
   */
  async settle(): Promise<void> {
    const until = Date.now() + 30_000;
    for (;;) {
      const lines = this.h.logLines;
      const started = lines.filter((l) => l.includes('"event":"bulk.started"')).length;
      const finished = lines.filter((l) => l.includes('"event":"bulk.finished"')).length;
      const state = (await sandboxAdmin(this.h, 'GET', '/state')) as { graphInFlight: number };
      if (started === finished && state.graphInFlight === 0) break;
      if (Date.now() > until) throw new Error('the bot did not settle within 30 s (a bulk still running?)');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.scanConnector();
  }

  /** The steps so far as numbered lines. */
  trace(): string {
    return this.records.map((r) => `  ${String(r.index + 1).padStart(3)}. ${r.text}`).join('\n');
  }

  async close(): Promise<void> {
    await this.h.close();
  }
}
