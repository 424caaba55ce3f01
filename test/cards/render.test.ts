import { describe, expect, it } from 'vitest';
import {
  renderChoiceCard,
  renderClosedCard,
  renderConfirmCard,
  renderIssuedCard,
  renderPassCard,
  renderProblemCard,
  type ConfirmCardData,
} from '../../src/cards/render.js';
import { VERBS, VERIFICATION_METHODS } from '../../src/cards/actions.js';
import { collectActions, expectWellFormedCard, REQUEST_ID, visibleStrings } from './card-checks.js';

const confirmData: ConfirmCardData = {
  requestId: REQUEST_ID,
  requesterName: 'Dana Reyes',
  requestExpiresText: '14:20',
  target: {
    displayName: 'Alice Wong',
    userPrincipalName: 'alice.wong@contoso.com',
    department: 'Finance',
    jobTitle: 'Accountant',
    managerName: null,
    accountEnabled: true,
  },
  existingPass: { createdText: 'yesterday at 16:02', stateText: 'active' },
  lifetimeText: '8 hours',
  usableOnce: true,
  policyText: 'Passes of 1 hour to 8 hours; one-time only',
  startText: 'immediately',
  expiresText: '22:05 today',
  notes: ['You asked for 12 hours; the tenant maximum is 8 hours, so 8 hours will be used.'],
  warnings: ['Alice Wong is a member of a privileged role.'],
};

const PASS = 'Xk7#pQ2w!mZ9';
const passData = {
  targetName: 'Alice Wong',
  targetUpn: 'alice.wong@contoso.com',
  pass: PASS,
  startText: '14:05 today',
  expiresText: '22:05 today',
  lifetimeText: '8 hours',
  usableOnce: false,
};
const issuedData = {
  issuerName: 'Dana Reyes',
  targetName: 'Alice Wong',
  targetUpn: 'alice.wong@contoso.com',
  expiresText: '22:05 today',
  startText: '14:05 today',
  usableOnce: true,
  verificationTitle: 'Video call with photo ID',
  ticket: 'INC-0042',
};

function candidate(index: number) {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    displayName: `Alex Example ${index}`,
    userPrincipalName: `alex${index}@contoso.com`,
    department: index % 2 === 0 ? 'Sales' : null,
  };
}

describe('renderConfirmCard', () => {
  const card = renderConfirmCard(confirmData);
  const texts = visibleStrings(card).join('\n');

  it('is a valid Adaptive Card that follows the TapDesk card rules', () => {
    expectWellFormedCard(card);
  });

  it('shows the person, the plan, notes and warnings', () => {
    expect(texts).toContain('Issue a Temporary Access Pass?');
    for (const expected of [
      'Alice Wong',
      'alice.wong@contoso.com',
      'Finance',
      'Accountant',
      'Enabled',
      '8 hours',
    ]) {
      expect(texts).toContain(expected);
    }
    expect(texts).toContain('—'); // no manager
    expect(texts).toContain('REPLACED');
    expect(texts).toContain('the tenant maximum is 8 hours');
    expect(texts).toContain('Requested by Dana Reyes. This request expires at 14:20.');
    const warning = JSON.stringify(card).includes(
      '"text":"Alice Wong is a member of a privileged role.","color":"Attention"',
    );
    expect(warning).toBe(true);
  });

  it('asks for the verification method and an optional ticket', () => {
    const body = card['body'] as Array<Record<string, unknown>>;
    const choice = body.find((element) => element['id'] === 'verification');
    expect(choice).toMatchObject({
      type: 'Input.ChoiceSet',
      isRequired: true,
      label: "How did you verify this person's identity?",
    });
    expect(choice?.['errorMessage']).toEqual(expect.any(String));
    expect(choice?.['choices']).toEqual(VERIFICATION_METHODS.map(({ title, value }) => ({ title, value })));
    const ticket = body.find((element) => element['id'] === 'ticket');
    expect(ticket).toMatchObject({ type: 'Input.Text', label: 'Ticket reference (optional)', maxLength: 64 });
    expect(ticket?.['isRequired']).toBeUndefined();
  });

  it('offers Confirm (with inputs) and Cancel (without)', () => {
    const [confirm, cancel] = collectActions(card);
    expect(confirm).toMatchObject({
      title: 'Confirm',
      verb: VERBS.confirm,
      style: 'positive',
      data: { requestId: REQUEST_ID },
    });
    expect(confirm?.['associatedInputs']).not.toBe('none');
    expect(cancel).toMatchObject({
      title: 'Cancel',
      verb: VERBS.cancel,
      associatedInputs: 'none',
      data: { requestId: REQUEST_ID },
    });
  });

  it('shows "None" and no replacement warning without an existing pass, and "Disabled" accounts', () => {
    const plain = renderConfirmCard({
      ...confirmData,
      existingPass: null,
      notes: [],
      warnings: [],
      target: { ...confirmData.target, accountEnabled: false, department: null, jobTitle: null },
    });
    expectWellFormedCard(plain);
    const plainTexts = visibleStrings(plain);
    expect(plainTexts).toContain('None');
    expect(plainTexts).toContain('Disabled');
    expect(plainTexts.join('\n')).not.toContain('REPLACED');
  });

  it("shows the tenant policy's terms when known, and never contradicts itself on one-time use", () => {
    const known = visibleStrings(renderConfirmCard(confirmData));
    expect(known).toContain('Tenant policy');
    expect(known).toContain('Passes of 1 hour to 8 hours; one-time only');
    expect(known).toContain('One-time (works for a single sign-in)');

    // No readable policy and nothing asked: the Use line says the policy decides, and nothing else does.
    const unknown = visibleStrings(
      renderConfirmCard({ ...confirmData, usableOnce: undefined, policyText: null }),
    );
    expect(unknown).not.toContain('Tenant policy');
    expect(unknown).toContain('As the tenant policy sets it (one-time or multi-use)');
    expect(unknown.join('\n')).not.toMatch(/Multi-use until it expires|tenant default|couldn't read/);
  });
});

describe('renderChoiceCard', () => {
  it('offers one button per candidate, capped at 10, and says how many more there are', () => {
    const card = renderChoiceCard({
      requestId: REQUEST_ID,
      query: 'alex',
      candidates: Array.from({ length: 12 }, (_, index) => candidate(index)),
      moreCount: 5,
    });
    expectWellFormedCard(card);
    const actions = collectActions(card);
    const chooses = actions.filter((action) => action['verb'] === VERBS.choose);
    expect(chooses).toHaveLength(10);
    expect(chooses[3]?.['data']).toEqual({ requestId: REQUEST_ID, userId: candidate(3).id });
    expect(actions.filter((action) => action['verb'] === VERBS.cancel)).toHaveLength(1);
    const texts = visibleStrings(card).join('\n');
    expect(texts).toContain("Several people match 'alex'. Who did you mean?");
    expect(texts).toContain('alex3@contoso.com');
    expect(texts).toContain('alex4@contoso.com · Sales');
    expect(texts).not.toContain('Alex Example 10');
    expect(texts).toContain('and 7 more — type the full address to narrow it down');
  });

  it('leaves out the "more" line when every match is shown', () => {
    const card = renderChoiceCard({
      requestId: REQUEST_ID,
      query: 'alex',
      candidates: [candidate(1), candidate(2)],
      moreCount: 0,
    });
    expectWellFormedCard(card);
    expect(visibleStrings(card).join('\n')).not.toContain('more —');
  });
});

describe('renderPassCard', () => {
  const card = renderPassCard(passData);

  it('shows the pass exactly once, large and monospace, with no actions', () => {
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    expect(card['actions']).toBeUndefined();
    const json = JSON.stringify(card);
    expect(json.split(PASS)).toHaveLength(2);
    expect(json).toContain(
      JSON.stringify({
        type: 'TextRun',
        text: PASS,
        fontType: 'Monospace',
        size: 'ExtraLarge',
        weight: 'Bolder',
        isSubtle: false,
      }),
    );
  });

  it('tells the admin how to hand the pass over', () => {
    const texts = visibleStrings(card).join('\n');
    expect(texts).toContain(
      'Copy it now: it will not be shown again. Give it to Alice Wong over the channel you verified, never by email or in a group chat.',
    );
    expect(texts).toContain('Multi-use');
    expect(texts).toContain('22:05 today');
  });

  it('keeps markdown-like pass characters verbatim', () => {
    const odd = renderPassCard({ ...passData, pass: '**a_b_**[x](y)' });
    expect(JSON.stringify(odd)).toContain('"text":"**a_b_**[x](y)"');
  });
});

describe('renderIssuedCard', () => {
  it('records who issued what for whom without the pass', () => {
    const card = renderIssuedCard(issuedData);
    expectWellFormedCard(card);
    expect(collectActions(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain(PASS);
    const texts = visibleStrings(card).join('\n');
    expect(texts).toContain(
      'Temporary Access Pass issued by Dana Reyes for Alice Wong, valid until 22:05 today.',
    );
    expect(texts).toContain('Video call with photo ID');
    expect(texts).toContain('INC-0042');
    expect(texts).toContain('One-time');
  });

  it('omits the ticket row when there is no ticket', () => {
    const card = renderIssuedCard({ ...issuedData, ticket: null });
    expectWellFormedCard(card);
    expect(visibleStrings(card)).not.toContain('Ticket');
  });
});

describe('closed, problem and help cards', () => {
  it.each(['neutral', 'warning', 'error', 'good'] as const)(
    'renders a %s closed card without actions',
    (tone) => {
      const card = renderClosedCard({
        title: 'Request cancelled',
        message: 'Dana Reyes cancelled this request.',
        tone,
      });
      expectWellFormedCard(card);
      expect(collectActions(card)).toEqual([]);
      expect(visibleStrings(card)).toEqual(['Request cancelled', 'Dana Reyes cancelled this request.']);
    },
  );

  it('renders a problem card with the code shown subtly', () => {
    const card = renderProblemCard({
      title: "You can't issue passes yet",
      message: 'Your account does not have the Authentication Administrator role.',
      nextStep: 'Ask a Privileged Role Administrator to assign the role, then try again.',
      code: 'TAP_ROLE_MISSING',
    });
    expectWellFormedCard(card);
    expect(JSON.stringify(card)).toContain(
      '{"type":"TextBlock","text":"Code: TAP_ROLE_MISSING","size":"Small","isSubtle":true',
    );
  });
});
