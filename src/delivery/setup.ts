import { DefaultAzureCredential } from '@azure/identity';
import type { Dispatcher } from 'undici';
import type { AppTokenSource, ClientSecretAppTokens } from '../auth/app-tokens.js';
import type { TapDeskConfig } from '../config.js';
import { ACS_SCOPE, AcsSmsClient, type AcsTokenSource } from './acs-sms.js';
import type { SmsSender } from './sms-port.js';
import { GraphTeamsInstaller, type TeamsInstaller } from './teams-installer.js';

/** The delivery channels' outside connections; each is absent when it is not configured. */
export interface DeliveryPorts {
  sms?: SmsSender;
  installer?: TeamsInstaller;
}

/**
 * SMS with an Entra token for ACS: in Azure the managed identity (AZURE_CLIENT_ID, the identity the
 * Bicep grants a role on the Communication Services resource), in the sandbox TapDesk's own app.
 * The installer only when its application permission is consented and the catalog id is known.
 */
export function deliveryPortsFor(
  config: TapDeskConfig,
  io: { dispatcher: Dispatcher | undefined; appTokens: ClientSecretAppTokens & AppTokenSource },
): DeliveryPorts {
  const ports: DeliveryPorts = {};
  const { acs, teamsAppCatalogId } = config.delivery;
  if (acs) {
    let token: AcsTokenSource;
    if (config.mode === 'sandbox') token = (signal) => io.appTokens.communicationAppToken(signal);
    else {
      const credential = new DefaultAzureCredential();
      token = async (signal) => (await credential.getToken(ACS_SCOPE, { abortSignal: signal })).token;
    }
    ports.sms = new AcsSmsClient(acs, token, io.dispatcher);
  }
  if (teamsAppCatalogId && config.appPermissions.includes('TeamsAppInstallation.ReadWriteSelfForUser.All'))
    ports.installer = new GraphTeamsInstaller(
      { baseUrl: config.graphBaseUrl, tokens: io.appTokens, dispatcher: io.dispatcher },
      teamsAppCatalogId,
    );
  return ports;
}
