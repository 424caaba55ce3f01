import { z } from 'zod';

/** The stage Entra's test call carries before any real callout (the quickstart template branches on it). */
export const CONNECTION_TEST_STAGE = 'CustomExtensionConnectionTest';

const GUID = z.string().uuid();
const NAME = z.string().min(1).max(256);

/**
 * The entitlement-management callout (PascalCase keys), the parts TapDesk uses; extra keys are
 * ignored. Names come from the tenant's own directory but are still neutralised before any card.
 */
const callout = z.object({
  AccessPackageAssignmentRequestId: GUID,
  CustomExtensionStageInstanceId: GUID,
  Stage: z.enum(['assignmentRequestCreated', 'assignmentRequestApproved']),
  AccessPackage: z.object({ Id: GUID, DisplayName: NAME }),
  Assignment: z.object({ Target: z.object({ ObjectId: GUID, DisplayName: NAME }) }),
  Requestor: z.object({ ObjectId: GUID, DisplayName: NAME }),
  Answers: z.array(z.unknown()).max(20).optional(),
});

export type AccessPackageCallout = z.infer<typeof callout>;

export type CalloutCheck =
  | { ok: true; kind: 'test' }
  | { ok: true; kind: 'callout'; callout: AccessPackageCallout }
  | { ok: false; field: string; message: string };

export function checkAccessPackageCallout(body: Record<string, unknown>): CalloutCheck {
  if (body.Stage === CONNECTION_TEST_STAGE) return { ok: true, kind: 'test' };
  const parsed = callout.safeParse(body);
  if (parsed.success) return { ok: true, kind: 'callout', callout: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, field: issue.path.join('.') || 'body', message: issue.message };
}

/** The requestor's answers to the access package's questions, as short plain text for the reason. */
export function answersText(answers: unknown[] | undefined): string {
  const texts = (answers ?? [])
    .map((a) => (a && typeof a === 'object' ? (a as Record<string, unknown>) : {}))
    .map((a) => a.Value ?? a.value ?? a.DisplayValue ?? a.displayValue)
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return texts.join('; ').slice(0, 300);
}
