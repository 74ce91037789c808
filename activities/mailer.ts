/** What the delivery activities need of an e-mail transport (runtime/mail.ts builds one). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID: a message sent twice carries the same one, so mail clients can fold repeats. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Where mail goes, for the logs: "SMTP server mail.example.gov.vn:587" or ".eml files in …". */
  readonly description: string;
  close(): Promise<void>;
}
