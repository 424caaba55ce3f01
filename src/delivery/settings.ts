import { toE164 } from './phone.js';

/** SMS through Azure Communication Services, and the catalog id TapDesk installs itself with. */
export interface DeliverySettings {
  /** Unset: `deliverTo: sms` is refused when asked. */
  acs?: { endpoint: string; from: string };
  /** TEAMS_APP_CATALOG_ID; unset: a manager TapDesk has no chat with cannot be reached. */
  teamsAppCatalogId?: string;
}

type Env = Record<string, string | undefined>;

/** Reads ACS_ENDPOINT, ACS_SMS_FROM and TEAMS_APP_CATALOG_ID; each problem names the fix. */
export function readDeliverySettings(env: Env, problems: string[]): DeliverySettings {
  const endpoint = env.ACS_ENDPOINT?.trim() ?? '';
  const from = env.ACS_SMS_FROM?.trim() ?? '';
  const settings: DeliverySettings = {};
  if (endpoint || from) {
    const endpointOk = /^https:\/\/[^\s/]+\/?$/.test(endpoint);
    if (!endpointOk)
      problems.push(
        `ACS_ENDPOINT must be your Communication Services endpoint, like 'https://contoso.unitedstates.communication.azure.com' (it is '${endpoint}')`,
      );
    const e164 = toE164(from);
    if (!e164 || e164 !== from)
      problems.push(
        `ACS_SMS_FROM must be a number your Communication Services resource owns, in E.164 like '+18005550100' (it is '${from}')`,
      );
    if (endpointOk && e164 === from) settings.acs = { endpoint, from };
  }
  const catalogId = env.TEAMS_APP_CATALOG_ID?.trim();
  if (catalogId) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(catalogId))
      problems.push(
        `TEAMS_APP_CATALOG_ID must be the app's id in your Teams app catalog, a GUID (it is '${catalogId}')`,
      );
    else settings.teamsAppCatalogId = catalogId;
  }
  return settings;
}
