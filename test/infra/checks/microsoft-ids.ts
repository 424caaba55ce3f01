// Microsoft ids (Graph permissions, Teams clients, Azure roles) the deployment files must or must never name.
// Verified against the Microsoft Graph permissions reference and Azure's built-in roles (see docs/deploy.md,
// "Deploy to Azure").

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** The Agents Toolkit also takes Microsoft Graph by name in aad.manifest.json, and then permission names. */
export const GRAPH_APP_NAME = 'Microsoft Graph';
/**
 * Microsoft Graph DELEGATED permissions TapDesk needs: sign-in plus GRAPH_SCOPES, DEVICE_READ_SCOPES and PIM_SCOPES of
 * src/config.ts, by id
 * where a verified id is known, else by name (the Toolkit resolves names when provisioning). The delegated
 * ids of UserAuthMethod-TAP.ReadWrite.All and Policy.Read.AuthenticationMethod were not found in any
 * source we trust, so the manifest names them.
 */
export const GRAPH_DELEGATED: Record<string, string> = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'UserAuthMethod-TAP.ReadWrite.All': 'UserAuthMethod-TAP.ReadWrite.All',
  'Policy.Read.AuthenticationMethod': 'Policy.Read.AuthenticationMethod',
  // DEVICE_READ_SCOPES of src/config.ts: reading Windows Autopilot devices, asked for in its own exchange.
  'DeviceManagementServiceConfig.Read.All': '8696daa5-bce5-4b2e-83f9-51b6defc4e1e',
  // DEVICE_WRITE_SCOPES: setting an Autopilot device's user and group tag, at an onboarding's Confirm only.
  'DeviceManagementServiceConfig.ReadWrite.All': '662ed50a-ac44-4eef-ad86-62eed9be2a29',
  // PIM_SCOPES of src/config.ts: the clicker's own eligibilities and self-activation, in an exchange of
  // their own; by name, as their delegated ids were not checked against a source we trust.
  'RoleEligibilitySchedule.Read.Directory': 'RoleEligibilitySchedule.Read.Directory',
  'RoleAssignmentSchedule.ReadWrite.Directory': 'RoleAssignmentSchedule.ReadWrite.Directory',
};
/** Delegated permissions TapDesk used to ask for and no longer may: broader than it needs. */
/**
 * The only application permissions the manifest asks for, all read-only: roles, to recognise people
 * eligible for a role (PIM) or holding one over an administrative unit, the authentication method
 * policy, to show the TAP policy on every card, and Autopilot devices, to see an onboarding through. Ids of Microsoft Graph's app roles, as published (check
 * with `az ad sp show --id 00000003-0000-0000-c000-000000000000 --query "appRoles[?value=='…'].id"`).
 */
export const GRAPH_APP_READ_ONLY: Record<string, string> = {
  'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
  'Policy.Read.AuthenticationMethod': '8e3bc81b-d2f3-4b7b-838c-32c88218d2f0',
  // The onboarding follow-through: whether an onboarded device finished enrolling (read-only).
  'DeviceManagementServiceConfig.Read.All': '06a5fe6d-c49d-46a7-b082-56b1b14103c7',
};

/**
 * The one application permission that writes: TapDesk installing itself, and only itself, for a person it
 * must reach (a manager receiving a pass); it cannot install another app or touch anything else.
 */
export const GRAPH_APP_SELF_INSTALL: Record<string, string> = {
  'TeamsAppInstallation.ReadWriteSelfForUser.All': '908de74d-f8b2-4d6b-a9ed-2a17b3b78179',
};

export const GRAPH_DELEGATED_RETIRED: Record<string, string> = {
  'UserAuthenticationMethod.ReadWrite.All': 'b7887744-6746-4312-813d-72daeaee7e2d',
  'Policy.Read.All': '572fea84-0151-49b2-9301-11cb16974376',
};
/** The APPLICATION (app-only) twins that must never appear anywhere. */
export const GRAPH_APP_ROLES_FORBIDDEN: Record<string, string> = {
  'UserAuthenticationMethod.ReadWrite.All': '50483e42-d915-4231-9639-7fdb7fd190e5',
  'UserAuthenticationMethod.Read.All': '38d9df27-64da-44fd-b7c5-a6fbac20248f',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
  // From the contract (next-wave §1.1, [observed]): the application twin of the TAP scope.
  'UserAuthMethod-TAP.ReadWrite.All': '627169a8-8c15-451c-861a-5b80e383de5c',
  // Changing devices app-only: onboarding changes a device only with the admin's own token.
  'DeviceManagementServiceConfig.ReadWrite.All': '5ac13192-7ace-4fcf-b828-1a26f28068ee',
};
export const TEAMS_CLIENTS = {
  desktopAndMobile: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  web: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
};
export const STORAGE_TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
export const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
export const BOT_OAUTH_AAD_V2_PROVIDER = '30dd229c-58e3-4a48-bdfd-91ec48eb906c';
