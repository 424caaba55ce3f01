import { describe, expect, it } from 'vitest';
import { renderDevicesCard, type DevicesCardData } from '../../src/cards/devices.js';
import { collectActions, expectWellFormedCard, visibleStrings } from './card-checks.js';

const row: DevicesCardData['rows'][number] = {
  serialNumber: 'PF4KX1A2',
  manufacturer: 'LENOVO',
  model: 'ThinkPad T14 Gen 4',
  groupTag: 'Sales',
  userPrincipalName: 'bob@contoso.com',
  enrollmentState: 'enrolled',
  lastContactText: '1 May, 10:00',
};
const textOf = (card: Record<string, unknown>) => visibleStrings(card).join('\n');

describe('renderDevicesCard', () => {
  it('shows serial, make and model, group tag, assigned user, enrollment state and last contact', () => {
    const card = renderDevicesCard({
      searched: { person: 'Bob Jones', upn: 'bob@contoso.com' },
      rows: [row],
      more: 0,
      complete: true,
    });
    expectWellFormedCard(card);
    const text = textOf(card);
    for (const expected of [
      'PF4KX1A2',
      'LENOVO ThinkPad T14 Gen 4',
      'Sales',
      'bob@contoso.com',
      'Enrolled',
      '1 May, 10:00',
      '1 Windows Autopilot device assigned to Bob Jones (bob@contoso.com).',
    ])
      expect(text).toContain(expected);
    expect(collectActions(card)).toHaveLength(0);
  });

  it('says none, nobody, not contacted, and does not repeat a make the model already names', () => {
    const card = renderDevicesCard({
      searched: { serial: '5CG33' },
      rows: [
        {
          ...row,
          serialNumber: '5CG3301ABC',
          manufacturer: 'HP',
          model: 'HP EliteBook 840 G10',
          groupTag: '',
          userPrincipalName: '',
          enrollmentState: 'notContacted',
          lastContactText: 'never',
        },
      ],
      more: 3,
      complete: true,
    });
    const text = textOf(card);
    expect(text).toContain('HP EliteBook 840 G10');
    expect(text).not.toContain('HP HP');
    for (const expected of ['none', 'nobody', 'Not contacted yet', 'never', '…and 3 more not shown'])
      expect(text).toContain(expected);
    expect(text).toContain("4 Windows Autopilot devices with a serial number containing '5CG33'");
  });

  it('says when nothing matched, and when the read stopped before the end', () => {
    const card = renderDevicesCard({ searched: { serial: 'ZZZ9' }, rows: [], more: 0, complete: false });
    expectWellFormedCard(card);
    expect(textOf(card)).toContain('No Windows Autopilot device');
    expect(textOf(card)).toContain('there may be more');
  });

  it('neutralises every value that came from Intune or the directory', () => {
    const hostile = '[Re-verify](https://evil.example) ${secret} **bold**';
    const card = renderDevicesCard({
      searched: { person: hostile, upn: hostile },
      rows: [
        {
          serialNumber: hostile,
          manufacturer: hostile,
          model: hostile,
          groupTag: hostile,
          userPrincipalName: hostile,
          enrollmentState: hostile,
          lastContactText: 'never',
        },
      ],
      more: 0,
      complete: true,
    });
    expectWellFormedCard(card);
    const text = textOf(card);
    expect(text).not.toContain('](');
    expect(text).not.toContain('${');
    expect(text).not.toContain('**');
    expect(text).not.toContain('https://');
  });
});
