import type { Logger } from '../log.js';
import type { SecurityEvent } from './security-event.js';

/** Where security events go. `emit` must not throw for a transport problem it can report itself. */
export interface SecurityEventSink {
  readonly kind: 'log' | 'opentelemetry';
  emit(event: SecurityEvent): void;
}

/** JSON lines on a child of the app logger, marked `channel: "security"` so a collector can route them. */
export function logSink(log: Logger): SecurityEventSink {
  const security = log.child({ channel: 'security' });
  return {
    kind: 'log',
    emit: (event) => security.info({ securityEvent: event }, 'security.event'),
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

/**
 * One OpenTelemetry log record per event: the whole event as the JSON body (what a KQL rule parses)
 * and its flat fields as attributes (Application Insights shows them as customDimensions).
 */
export function otelSink(logger: OtelLogEmitter): SecurityEventSink {
  return {
    kind: 'opentelemetry',
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
export type OtelStarter = (connectionString: string) => Promise<OtelLogEmitter>;

/** Starts the Azure Monitor OpenTelemetry distro and returns the security logger it exports. */
export const startAzureMonitor: OtelStarter = async (connectionString) => {
  const { useAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { logs } = await import('@opentelemetry/api-logs');
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  return logs.getLogger('tapdesk.security');
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
