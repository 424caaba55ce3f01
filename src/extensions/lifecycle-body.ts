import { z } from 'zod';

const GUID = z.string().uuid();
const NAME = z.string().min(1).max(256);
const G = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The only callback TapDesk will ever POST to: a task processing result's resume, nothing else. */
export const CALLBACK_PATH = new RegExp(
  `^/identityGovernance/lifecycleWorkflows/workflows/${G}/tasks/${G}/taskProcessingResults/${G}/resume$`,
);

/** The Lifecycle Workflows custom task extension callout (camelCase, in an envelope); extra keys ignored. */
const callout = z.object({
  data: z.object({
    callbackUriPath: z.string().regex(CALLBACK_PATH, 'must be a taskProcessingResults/{id}/resume path'),
    subject: z.object({ id: GUID, displayName: NAME }),
    task: z.object({ id: GUID, displayName: NAME.optional() }),
    taskProcessingResult: z.object({ id: GUID }),
    workflow: z.object({ id: GUID, displayName: NAME }),
  }),
});

export type LifecycleCallout = z.infer<typeof callout>;

export type LifecycleCheck =
  { ok: true; callout: LifecycleCallout } | { ok: false; field: string; message: string };

export function checkLifecycleCallout(body: Record<string, unknown>): LifecycleCheck {
  const parsed = callout.safeParse(body);
  if (parsed.success) return { ok: true, callout: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, field: issue.path.join('.') || 'body', message: issue.message };
}
