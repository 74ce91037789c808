import { invitationEmail, passwordResetEmail } from '../domain/delivery-message.ts';
import type { Database } from '../db/client.ts';
import { agencyLabels } from '../db/agency-index.ts';
import type { Invitation } from './invitations.ts';

/** What the invitation e-mail needs: a transport (runtime/mail.ts builds one) and where the app is. */
export interface InvitationMail {
  mailer: {
    send(mail: { to: string; subject: string; text: string; html: string; messageId: string }): Promise<void>;
  };
  /** The web app's address: https://dondoc.example.gov.vn */
  publicUrl: string;
  /** The domain part of Message-IDs (from MAIL_FROM). */
  messageIdDomain: string;
}

/** dd/mm/yyyy of an instant's local day (UTC+7). */
function localDay(iso: string): string {
  const [y, m, d] = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Sends the link (an invitation, or a password reset) to the person it is for, at once: the
 * coordinator is waiting for the answer, and sees the link anyway if the mail server refuses it.
 */
export async function emailInvitation(
  mail: InvitationMail,
  invitation: Invitation,
  token: string,
  db?: Database,
): Promise<void> {
  const link = `${mail.publicUrl.replace(/\/+$/, '')}/#/loi-moi/${token}`;
  const expiresOn = localDay(invitation.expiresAt);
  // The agency by its name: a clerk of "UBND-TDG" reads "UBND huyện Tam Dương".
  const code = invitation.agencyCode;
  const agency =
    db && code && invitation.registry ? (await agencyLabels(db, invitation.registry, [code])).get(code) : undefined;
  await mail.mailer.send({
    to: invitation.email,
    ...(invitation.kind === 'reset'
      ? passwordResetEmail({ name: invitation.name, link, expiresOn })
      : invitationEmail({
          name: invitation.name,
          role: invitation.role,
          agencyCode: invitation.agencyCode,
          ...(agency ? { agencyName: agency.name } : {}),
          link,
          expiresOn,
        })),
    messageId: `<invitation-${invitation.id}@${mail.messageIdDomain}>`,
  });
}
