import { GraphFailure } from './failure.js';

/**
 * The URL of the next page of a Graph listing, or undefined after the last one. Throws rather than
 * answer from pages never read (past `maxPages`), and never hands the caller's token to another host
 * (a nextLink outside `isOwnUrl`). `what` names the listing in the failure.
 */
export function nextLinkOf(
  body: { '@odata.nextLink'?: unknown },
  page: number,
  maxPages: number,
  isOwnUrl: (url: string) => boolean,
  what: string,
): string | undefined {
  const next = body['@odata.nextLink'];
  if (typeof next !== 'string' || next === '') return undefined;
  if (page >= maxPages)
    throw new GraphFailure(0, 'tooManyPages', `${what} exceed ${page} pages`, undefined, undefined);
  if (!isOwnUrl(next))
    throw new GraphFailure(
      0,
      'foreignNextLink',
      'Graph returned a nextLink to another host',
      undefined,
      undefined,
    );
  return next;
}
