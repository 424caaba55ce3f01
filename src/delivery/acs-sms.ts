import { randomUUID } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { SmsSendError, type SmsMessage, type SmsSender } from './sms-port.js';

/** The scope ACS asks for with an Entra token; the double slash is how the service spells it. */
export const ACS_SCOPE = 'https://communication.azure.com//.default';
/** The SMS API version @azure/communication-sms 1.1.0 sends. */
const API_VERSION = '2021-03-07';
const SEND_TIMEOUT_MS = 10_000;

/** An Entra token for ACS: the managed identity in Azure, TapDesk's own app in the sandbox. */
export type AcsTokenSource = (signal?: AbortSignal) => Promise<string>;

export interface AcsSmsSettings {
  /** ACS_ENDPOINT, e.g. https://contoso.unitedstates.communication.azure.com */
  endpoint: string;
  /** ACS_SMS_FROM: a number the Communication Services resource owns, E.164. */
  from: string;
}

interface SendItem {
  to?: string;
  messageId?: string;
  httpStatusCode?: number;
  successful?: boolean;
  errorMessage?: string;
  repeatabilityResult?: string;
}

/**
 * The ACS SMS REST call (what `SmsClient.send` of @azure/communication-sms does), with an Entra
 * bearer token: one recipient, one repeatability id, delivery reports off. ACS reports a refused
 * recipient inside a 202, so success is the recipient's `successful`, not the HTTP status. Never
 * retried: a second send could put a second copy of the pass on a phone.
 */
export class AcsSmsClient implements SmsSender {
  readonly from: string;

  constructor(
    private readonly settings: AcsSmsSettings,
    private readonly token: AcsTokenSource,
    private readonly dispatcher: Dispatcher | undefined,
  ) {
    this.from = settings.from;
  }

  async send(message: SmsMessage, signal?: AbortSignal): Promise<{ messageId: string | null }> {
    const bearer = await this.token(signal).catch((error: unknown) => {
      throw new SmsSendError(`no token for Communication Services (${(error as Error)?.name})`, 0, false);
    });
    const url = `${this.settings.endpoint.replace(/\/+$/, '')}/sms?api-version=${API_VERSION}`;
    const body = {
      from: this.from,
      smsRecipients: [
        {
          to: message.to,
          repeatabilityRequestId: randomUUID(),
          repeatabilityFirstSent: new Date().toUTCString(),
        },
      ],
      message: message.message,
      smsSendOptions: { enableDeliveryReport: false },
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: signal ?? AbortSignal.timeout(SEND_TIMEOUT_MS),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
    } catch (error) {
      // The request may have reached ACS before the connection failed: the SMS may be out.
      throw new SmsSendError(`Communication Services did not answer (${(error as Error)?.name})`, 0, true);
    }
    const answer = (await response.body.json().catch(() => ({}))) as { value?: SendItem[] };
    if (response.statusCode !== 202)
      throw new SmsSendError(
        `Communication Services answered ${response.statusCode}`,
        response.statusCode,
        response.statusCode >= 500,
      );
    const item = answer.value?.find((v) => v.to === message.to) ?? answer.value?.[0];
    if (!item?.successful || item.repeatabilityResult === 'rejected')
      throw new SmsSendError(
        `Communication Services refused the message (${item?.httpStatusCode ?? 'no result'})`,
        item?.httpStatusCode ?? 0,
        false,
      );
    return { messageId: item.messageId ?? null };
  }
}
