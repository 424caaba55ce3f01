// One import point for the card renderers.
export type { AdaptiveCardJson } from './template.js';
export { renderConfirmCard, usageText, type ConfirmCardData } from './confirm.js';
export { renderChoiceCard, MAX_CHOICES, type ChoiceCardData, type ChoiceCandidate } from './choice.js';
export { renderPassCard, type PassCardData } from './pass.js';
export {
  renderIssuedCard,
  renderClosedCard,
  renderProblemCard,
  type IssuedCardData,
  type ClosedTone,
} from './outcome.js';
export { renderHelpCard, helpText, HELP_EXAMPLES } from './help.js';
export { renderAuditCard, MAX_AUDIT_ROWS, type AuditCardData } from './audit.js';
export { describeAuditEvent, type AuditRow } from './audit-rows.js';
