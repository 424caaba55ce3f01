import type { TapRequest } from '../tap/request.js';

/** The states a caller of the request API sees; TapDesk's own are finer (requests/status.ts maps them). */
export type ApiRequestStatus = 'awaiting' | 'approved' | 'rejected' | 'issued' | 'failed' | 'expired';

/**
 * What GET /api/requests/{id} answers. Built field by field from the request, never spread from it,
 * so nothing TapDesk adds to a request later (and never a pass) can reach a caller unnoticed.
 */
export interface ApiRequestView {
  id: string;
  status: ApiRequestStatus;
  user: string;
  ticket: { system: string; number: string };
  requestedAt: string;
  /** When the request ends if nobody decides. */
  decideBy: string;
  decidedBy: { id: string; displayName: string } | null;
  decidedAt: string | null;
  rejectReason: string | null;
  /** The catalog code when it failed (e.g. TAP_POLICY_EXCLUDED); null otherwise. */
  problemCode: string | null;
  /** The pass's shape and validity once issued: never the pass itself. */
  pass: { startDateTime: string | null; expiresAt: string | null; isUsableOnce: boolean | null } | null;
  /** The channel asked for and how its delivery went (`pending` until an approved pass was handed on). */
  delivery: { channel: string; outcome: 'pending' | 'delivered' | 'failed' };
}

/** TapDesk's request states as the API's six; `now` turns an undecided request past its deadline to expired. */
export function apiStatusOf(request: TapRequest, now: Date): ApiRequestStatus {
  switch (request.state) {
    case 'awaiting':
      return now.getTime() > Date.parse(request.expiresAt) ? 'expired' : 'awaiting';
    // Decided; the pass is being created with the approver's token.
    case 'issuing':
      return 'approved';
    // Issued, and since revoked or replaced: it was issued all the same.
    case 'issued':
    case 'revoking':
    case 'revoked':
    case 'replaced':
      return 'issued';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    // Failed, its outcome unknown, or ended otherwise: no pass to count on.
    default:
      return 'failed';
  }
}

export function apiViewOf(request: TapRequest, now: Date): ApiRequestView {
  const approval = request.approval;
  const status = apiStatusOf(request, now);
  const decided = status !== 'awaiting' && status !== 'expired' && approval?.decidedBy;
  const issued = status === 'issued' ? request.outcome : undefined;
  return {
    id: request.id,
    status,
    user: request.target?.userPrincipalName ?? request.query,
    ticket: { system: request.source?.ticket.system ?? '', number: request.source?.ticket.number ?? '' },
    requestedAt: request.createdAt,
    decideBy: request.expiresAt,
    decidedBy: decided ? { id: approval.decidedBy!.oid, displayName: approval.decidedBy!.name } : null,
    decidedAt: decided ? (approval.decidedAt ?? null) : null,
    rejectReason: status === 'rejected' ? (approval?.rejectReason ?? null) : null,
    problemCode: status === 'failed' ? (request.outcome?.problemCode ?? null) : null,
    pass: issued
      ? {
          startDateTime: issued.startDateTime ?? null,
          expiresAt: issued.expiresAt ?? null,
          isUsableOnce: issued.isUsableOnce ?? null,
        }
      : null,
    delivery: {
      channel: approval?.deliverTo ?? 'approver',
      outcome: approval?.delivery?.outcome ?? 'pending',
    },
  };
}
