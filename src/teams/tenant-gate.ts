import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Logger } from '../log.js';
import { turnFields } from './turn-fields.js';

/**
 * The tenant an activity says it comes from. Teams puts it in channelData.tenant.id and, for most
 * conversations, conversation.tenantId too; when both are present they must agree.
 */
export function tenantOf(activity: Partial<Activity>): string | null {
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId;
  const ids = [fromChannel, fromConversation].filter((v): v is string => typeof v === 'string' && v !== '');
  if (ids.length === 0) return null;
  return ids.every((id) => id.toLowerCase() === ids[0]!.toLowerCase()) ? ids[0]! : null;
}

/**
 * TapDesk acts in one Entra tenant. An activity from any other tenant (a multi-tenant bot registration
 * can be installed elsewhere) or from none at all never reaches a route: no turn state, no Graph,
 * no reply. Invokes get an error invoke response so the client stops waiting; messages are dropped.
 * Returns true when the turn may run.
 */
export async function admitTenant(context: TurnContext, tenantId: string, log: Logger): Promise<boolean> {
  const tenant = tenantOf(context.activity);
  if (tenant !== null && tenant.toLowerCase() === tenantId.toLowerCase()) return true;
  log.warn(
    {
      ...turnFields(context),
      event: 'tenant.refused',
      tenant: tenant?.slice(0, 64) ?? 'missing_or_conflicting',
    },
    'tenant.refused',
  );
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 403,
        body: {
          statusCode: 403,
          type: 'application/vnd.microsoft.error',
          value: { code: 'TENANT_NOT_ALLOWED', message: 'TapDesk serves another organisation.' },
        },
      },
    });
  }
  return false;
}
