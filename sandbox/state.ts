import { createHash } from 'node:crypto';
import { devicesFromFixture, deviceStateView, type StoredDevice } from './autopilot-devices.js';
import { FaultInjector } from './faults.js';
import { FileStore } from './files.js';
import { SeededRandom } from './random.js';
import type { SandboxClock } from './clock.js';
import type { FixtureAutopilotDevice, TapPolicy } from './fixture.js';
import { IntuneThrottle } from './intune-throttle.js';
import { PimActivations } from './pim-activations.js';
import { presentationView, type StoredPresentation } from './verified-id-state.js';
import type { OutboxEntry, SmsFault } from './sms.js';
import type { TeamsInstalls } from './teams-install.js';

/** A pass as the sandbox stores it; the code never leaves except in the create response. */
export interface StoredPass {
  id: string;
  userId: string;
  userPrincipalName: string;
  code: string;
  createdDateTime: Date;
  startDateTime: Date;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  createdBy: string;
}

/** One line of the Graph call log exposed by `GET /_sandbox/state`. */
export interface GraphLogEntry {
  at: string;
  method: string;
  path: string;
  callerOid: string | null;
  status: number;
}

/** All mutable sandbox state; `reset()` returns it to the fixture's starting point. */
/** One resume of a waiting Entra request, as /_sandbox/state shows it. */
export interface SandboxResume {
  kind: 'access-package' | 'lifecycle-task';
  id: string;
  state: string;
  at: string;
}

/** An access package request or a lifecycle task waiting for the extension's resume. */
export interface WaitingCallout {
  kind: SandboxResume['kind'];
  /** Access packages: the stage instance the resume must name. */
  stageInstanceId?: string;
  waitingUntil: string;
}

export class SandboxState {
  /** One pass per user, keyed by user object id. */
  passes = new Map<string, StoredPass>();
  graphLog: GraphLogEntry[] = [];
  /**
   * Graph requests received and not yet answered (latency included), so a test can kill the bot
   * while Graph holds its request instead of guessing how long the request takes to arrive.
   */
  graphInFlight = 0;
  queuedPassCodes: string[] = [];
  passRandom!: SeededRandom;
  faults!: FaultInjector;
  /** The live TAP policy: the fixture's, unless a test changed it through `POST /_sandbox/policy`. */
  policy!: TapPolicy;
  /** Files users sent and files the bot uploaded (in memory only). */
  readonly files = new FileStore();
  /** Windows Autopilot device identities, in fixture order: the fixture's, as changed through Graph. */
  devices: StoredDevice[] = [];
  /** Intune's per-app and per-tenant request windows for the Autopilot routes. */
  intuneThrottle!: IntuneThrottle;
  /** PIM self-activations, granted or awaiting approval. */
  readonly pim = new PimActivations();
  /** Verified ID presentation requests, by request id. */
  readonly presentations = new Map<string, StoredPresentation>();
  /** SMS accepted by the Communication Services stand-in (no text, only pass hashes). */
  outbox: OutboxEntry[] = [];
  readonly smsRepeatabilityIds = new Set<string>();
  smsFault: SmsFault | undefined;
  /** Teams app installations made through Graph, and where the sandbox tells the bot about them. */
  teamsInstalls: TeamsInstalls | undefined;

  constructor(
    private readonly seed: string,
    readonly clock: SandboxClock,
    private readonly fixturePolicy: TapPolicy,
    private readonly fixtureDevices: readonly FixtureAutopilotDevice[] = [],
  ) {
    this.reset();
  }

  /**
   * Clears passes, log, faults, queued codes, policy changes, files (with upload faults), the clock
   * offset, device changes and Intune's throttling windows; reseeds the random streams.
   */
  reset(): void {
    this.passes.clear();
    this.files.clear();
    this.graphLog = [];
    this.queuedPassCodes = [];
    this.passRandom = new SeededRandom(`passes:${this.seed}`);
    this.faults = new FaultInjector(new SeededRandom(`faults:${this.seed}`));
    this.clock.reset();
    this.policy = structuredClone(this.fixturePolicy);
    this.devices = devicesFromFixture(this.fixtureDevices, this.clock.now());
    this.intuneThrottle = new IntuneThrottle();
    this.pim.clear();
    this.presentations.clear();
    this.resumes.length = 0;
    this.waitingCallouts.clear();
    this.outbox = [];
    this.smsRepeatabilityIds.clear();
    this.smsFault = undefined;
    this.teamsInstalls?.clear();
  }

  /** The armed SMS fault for this send, if any (each send uses one of its count). */
  takeSmsFault(): SmsFault | undefined {
    const fault = this.smsFault;
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.smsFault = undefined;
    return fault;
  }

  /** Entra requests resumed by a custom extension's endpoint (graph-entitlement.ts). */
  readonly resumes: SandboxResume[] = [];
  /** Entra requests waiting on a custom extension's resume, by their id (entra-extension-callouts.ts). */
  readonly waitingCallouts = new Map<string, WaitingCallout>();
  /** Where the bot listens (http://127.0.0.1:port), for the custom extension callouts; set once it runs. */
  botOrigin: string | undefined;

  /** Appends to the Graph call log. */
  log(method: string, path: string, callerOid: string | null, status: number): void {
    this.graphLog.push({ at: new Date().toISOString(), method, path, callerOid, status });
  }

  /** The `/_sandbox/state` view: pass metadata with a SHA-256 of each code, never the code; devices. */
  snapshot(): {
    passes: Array<Record<string, unknown>>;
    devices: Array<Record<string, unknown>>;
    graphLog: GraphLogEntry[];
    graphInFlight: number;
    activations: Array<Record<string, unknown>>;
    presentations: Array<Record<string, unknown>>;
    resumes: SandboxResume[];
    outbox: Array<Omit<OutboxEntry, 'messageId'>>;
    installedApps: Array<Record<string, unknown>>;
  } {
    const passes = [...this.passes.values()].map((p) => ({
      userId: p.userId,
      userPrincipalName: p.userPrincipalName,
      id: p.id,
      createdDateTime: p.createdDateTime.toISOString(),
      startDateTime: p.startDateTime.toISOString(),
      lifetimeInMinutes: p.lifetimeInMinutes,
      isUsableOnce: p.isUsableOnce,
      createdBy: p.createdBy,
      passSha256: createHash('sha256').update(p.code).digest('hex'),
    }));
    return {
      passes,
      devices: this.devices.map(deviceStateView),
      graphLog: [...this.graphLog],
      graphInFlight: this.graphInFlight,
      activations: this.pim.snapshot(this.clock.now()),
      presentations: [...this.presentations.values()].map(presentationView),
      resumes: [...this.resumes],
      outbox: this.outbox.map(({ channel, to, from, at, passes }) => ({ channel, to, from, at, passes })),
      installedApps: this.teamsInstalls?.snapshot() ?? [],
    };
  }
}
