import { appGraphClient, type AppGraphOptions } from '../graph/app-client.js';

/** Installs TapDesk for a person through Graph, with its own app-only token. */
export interface TeamsInstaller {
  /** 'installed' (Graph 201) or 'already' (409: it was installed before); throws on anything else. */
  install(userId: string, signal?: AbortSignal): Promise<'installed' | 'already'>;
}

/**
 * POST /users/{id}/teamwork/installedApps with TeamsAppInstallation.ReadWriteSelfForUser.All: the
 * least permission that lets an app install itself (only itself) for a user, so TapDesk can reach a
 * manager who never opened it. Teams then sends the bot an installationUpdate and a
 * conversationUpdate for the new 1:1 chat, and the bot stores that conversation as for any install.
 */
export class GraphTeamsInstaller implements TeamsInstaller {
  constructor(
    private readonly graph: AppGraphOptions,
    /** TEAMS_APP_CATALOG_ID: the app's id in the organisation's Teams app catalog. */
    private readonly catalogAppId: string,
  ) {}

  async install(userId: string, signal?: AbortSignal): Promise<'installed' | 'already'> {
    const client = await appGraphClient(this.graph, signal);
    try {
      await client.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).post({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${encodeURIComponent(this.catalogAppId)}`,
      });
      return 'installed';
    } catch (error) {
      if ((error as { statusCode?: number })?.statusCode === 409) return 'already';
      throw error;
    }
  }
}
