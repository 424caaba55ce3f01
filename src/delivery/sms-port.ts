/** One SMS to one number; the message may carry a pass, so nothing here is ever logged. */
export interface SmsMessage {
  /** E.164, from the person's directory entry only. */
  to: string;
  message: string;
}

/** Where SMS go: Azure Communication Services in production and in the sandbox (src/delivery/acs-sms.ts). */
export interface SmsSender {
  /** The sender number shown to the recipient (ACS_SMS_FROM). */
  readonly from: string;
  /** Resolves when ACS accepted the message for this recipient; throws SmsSendError otherwise. */
  send(message: SmsMessage, signal?: AbortSignal): Promise<{ messageId: string | null }>;
}

/**
 * ACS did not accept the message, or its answer never came. `maybeSent` marks the second case: the
 * pass may have gone out, so it is revoked all the same and the send is never repeated.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly maybeSent: boolean,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}
