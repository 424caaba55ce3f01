import { LoginRequiredError } from '../auth/obo.js';
import { ProblemError, type Problem } from '../errors/catalog.js';
import type { Turn } from './turn.js';

/** How a kind of turn answers the two errors every handler may raise. */
export interface BoundaryAnswers {
  /** No usable token: ask Teams for one (a click's login request, a message's OAuth card). */
  login(error: LoginRequiredError): Promise<void>;
  /** A catalog problem raised deep in a handler: show it. */
  problem(problem: Problem): Promise<void>;
}

/**
 * The one error boundary around every click and command: a missing sign-in and a catalog problem are
 * answered the same way wherever they are raised; anything else goes to the app's error handler.
 */
export async function withinBoundary(
  turn: Turn,
  answers: BoundaryAnswers,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof LoginRequiredError) {
      turn.log.info({ event: 'turn.login_requested', reason: error.reason }, 'turn.login_requested');
      return answers.login(error);
    }
    if (error instanceof ProblemError) {
      logProblemCause(turn, error);
      return answers.problem(error.problem);
    }
    throw error;
  }
}

/**
 * A problem with an underlying cause (e.g. Entra rejecting TapDesk's own client secret) is the
 * operator's to fix, so it is logged; the chat only shows the catalog text.
 */
function logProblemCause(turn: Turn, error: ProblemError): void {
  if (error.cause === undefined) return;
  const cause = error.cause as { name?: unknown; message?: unknown };
  turn.log.error(
    {
      event: 'problem.cause',
      code: error.problem.code,
      cause: { name: String(cause.name), message: String(cause.message).slice(0, 500) },
    },
    'problem.cause',
  );
}
