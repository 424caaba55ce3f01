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
export { helpText, helpTextFor, HELP_EXAMPLES, type HelpCapabilities, type HelpSettings } from './help.js';
export { renderWelcomeCard, type WelcomeAudience, type WelcomeOccasion } from './welcome.js';
export { renderAuditCard, MAX_AUDIT_ROWS, type AuditCardData } from './audit.js';
export { describeAuditEvent, type AuditRow } from './audit-rows.js';
export {
  renderPassListCard,
  renderPassesCard,
  statusText as passStatusText,
  renderRevokeConfirmCard,
  renderRevokedCard,
  type PassListCardData,
  type PassesCardData,
  type RevokeConfirmCardData,
  type RevokedCardData,
} from './manage.js';
export { renderPolicyCard, type PolicyCardData } from './policy.js';
export {
  renderIssuedNoticeCard,
  renderAccountNoticeCard,
  renderReportsNoticeCard,
  renderExpiringNoticeCard,
  renderExpiredNoticeCard,
  renderRevokedNoticeCard,
  type NoticeReader,
} from './notices.js';
export { renderApprovalCard, type ApprovalCardData } from './approval.js';
