import type { Logger } from '../log.js';
import type { SecurityEvent } from './security-event.js';

/** Where security events go. `emit` must not throw for a transport problem it can report itself. */
export interface SecurityEventSink {
  readonly kind: 'log' | 'opentelemetry';
  emit(event: SecurityEvent): void;
  /** Sends what is still buffered; called when the bot stops, so a restart loses no event. */
  flush(): Promise<void>;
}

/** JSON lines on a child of the app logger, marked `channel: "security"` so a collector can route them. */
export function logSink(log: Logger): SecurityEventSink {
  const security = log.child({ channel: 'security' });
  return {
    kind: 'log',
    emit: (event) => security.info({ securityEvent: event }, 'security.event'),
    // pino's default destination writes synchronously: nothing is buffered.
    flush: async () => undefined,
  };
}

/** The part of an OpenTelemetry logs API logger this sink uses; injected so tests need no exporter. */
export interface OtelLogEmitter {
  emit(record: {
    body: string;
    attributes: Record<string, string | number | boolean>;
    timestamp: Date;
  }): void;
}

/** The started exporter: its logger, and how to send what it still buffers. */
export interface OtelExport {
  logger: OtelLogEmitter;
  flush(): Promise<void>;
}

/**
 * One OpenTelemetry log record per event: the whole event as the JSON body (what a KQL rule parses)
 * and its flat fields as attributes (Application Insights shows them as customDimensions).
 */
export function otelSink({ logger, flush }: OtelExport): SecurityEventSink {
  return {
    kind: 'opentelemetry',
    flush,
    emit: (event) =>
      logger.emit({
        body: JSON.stringify(event),
        attributes: flatAttributes(event),
        timestamp: new Date(event.time),
      }),
  };
}

function flatAttributes(event: SecurityEvent): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const put = (name: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[name] = value;
  };
  for (const [name, value] of Object.entries(event)) put(name, value);
  for (const [name, value] of Object.entries(event.actor)) put(`actor.${name}`, value);
  if (event.target) for (const [name, value] of Object.entries(event.target)) put(`target.${name}`, value);
  put('approvers', event.approvers.map((a) => a.id).join(','));
  return out;
}

/** How the OpenTelemetry path is set up; the default loads the Azure Monitor distro only when chosen. */
export type OtelStarter = (connectionString: string) => Promise<OtelExport>;

const OFF = { enabled: false };

/**
 * Starts the Azure Monitor OpenTelemetry distro for the security events alone, and returns the logger
 * it exports. Its automatic instrumentations stay off (HTTP telemetry would carry Graph URLs naming
 * people), and so does trace-based log sampling: a SOC must get every event, not a sample.
 */
export const startAzureMonitor: OtelStarter = async (connectionString) => {
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { logs } = await import('@opentelemetry/api-logs');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    enableTraceBasedSamplingForLogs: false,
    enableStandardMetrics: false,
    enableLiveMetrics: false,
    instrumentationOptions: {
      azureSdk: OFF,
      http: OFF,
      mongoDb: OFF,
      mySql: OFF,
      postgreSql: OFF,
      redis: OFF,
      redis4: OFF,
      bunyan: OFF,
      winston: OFF,
    },
  });
  return { logger: logs.getLogger('tapdesk.security'), flush: () => shutdownAzureMonitor() };
};

/** Application Insights when its connection string is set (as the Bicep does), else JSON lines. */
export async function securitySinkFor(
  connectionString: string | undefined,
  log: Logger,
  startOtel: OtelStarter = startAzureMonitor,
): Promise<SecurityEventSink> {
  if (!connectionString) return logSink(log);
  return otelSink(await startOtel(connectionString));
}
