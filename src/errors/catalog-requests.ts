// Catalog entries for requests other systems make through the request API (docs/request-api.md),
// spread into the one table of codes in catalog.ts.
import { them, type CatalogEntry } from './catalog-entry.js';

export const REQUEST_API_ENTRIES = {
  API_REQUEST_CHECKED: {
    title: 'Checked in Entra: approve again to issue',
    message: (c) =>
      `Another system asked for this pass, so nobody had looked ${them(c)} up yet. I read them with your own sign-in and the card now shows who they are, their manager, their pass and the plan${c.detail ? `; they hold ${c.detail}, so only a Privileged Authentication Administrator or Global Administrator can approve` : ''}. Nothing was issued.`,
    nextStep: () =>
      'Check the card: if the pass is right for this person, click Approve again; if not, Reject it with a reason the asking system will read.',
  },
} satisfies Record<string, CatalogEntry>;
