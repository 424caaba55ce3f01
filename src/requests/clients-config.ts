/** One system allowed to call the request API: its Entra client id and the name approvers see. */
export interface RequestApiClient {
  clientId: string;
  name: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The name is shown on approval cards as who asked; an admin writes it, still kept plain.
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ()._-]{0,59}$/u;

/**
 * REQUEST_API_CLIENTS: a comma list of `<client id>=<name>` (or a bare client id, shown as
 * "app <first 8 characters>"); empty switches the request API off. Each problem names the entry.
 */
export function parseRequestApiClients(raw: string | undefined, problems: string[]): RequestApiClient[] {
  const clients: RequestApiClient[] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const cut = entry.indexOf('=');
    const clientId = (cut === -1 ? entry : entry.slice(0, cut)).trim().toLowerCase();
    const name = cut === -1 ? `app ${clientId.slice(0, 8)}` : entry.slice(cut + 1).trim();
    if (!GUID.test(clientId)) {
      problems.push(
        `REQUEST_API_CLIENTS has '${entry.slice(0, 80)}': each entry must be '<client id>=<name>', the client id (a GUID) of an app allowed to ask for passes, e.g. 3658e7e7-d7a6-56a7-9fd4-c7c75344a5c2=ServiceNow`,
      );
    } else if (!NAME.test(name)) {
      problems.push(
        `REQUEST_API_CLIENTS names ${clientId} '${name.slice(0, 80)}': a name is 1 to 60 letters, digits, spaces or ( ) . _ -`,
      );
    } else if (clients.some((c) => c.clientId === clientId)) {
      problems.push(`REQUEST_API_CLIENTS lists ${clientId} twice`);
    } else {
      clients.push({ clientId, name });
    }
  }
  return clients;
}
