import { afterSignIn, api, setSession } from '../api.ts';
import { field, h, show, valueOf } from '../dom.ts';
import { cardForm } from '../components/form.ts';
import { day, roleNames } from '../format.ts';
import { agencyName } from '../names.ts';

/** A password as typed: spaces are part of it, not trimmed. */
const passwordOf = (input: HTMLElement) => (input as HTMLInputElement).value;

export function renderLogin(_params: string[], query: URLSearchParams) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = cardForm({
    className: 'card narrow',
    body: [field('Thư điện tử', email), field('Mật khẩu', password)],
    submit: 'Đăng nhập',
    pending: 'Đang đăng nhập…',
    action: async () => {
      setSession(await api('POST /v1/session', { body: { email: valueOf(email), password: passwordOf(password) } }));
      location.hash = afterSignIn(query);
    },
  });
  show(
    h('h1', null, 'Đăng nhập'),
    form,
    h('p', { class: 'note' }, 'Chưa có tài khoản? Hãy đề nghị cơ quan thường trực gửi lời mời.'),
  );
  email.focus();
}

export async function renderInvitation([token]: string[]) {
  let invitation;
  try {
    invitation = await api('GET /v1/invitations/{invitation}', { params: { invitation: token ?? '' } });
  } catch (error) {
    show(h('h1', null, 'Lời mời'), h('p', { class: 'status error' }, (error as Error).message));
    return;
  }
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const reset = invitation.kind === 'reset';
  show(
    h('h1', null, reset ? 'Đặt mật khẩu mới' : 'Nhận lời mời'),
    h(
      'dl',
      { class: 'card narrow facts' },
      h('dt', null, 'Họ tên'),
      h('dd', null, invitation.name),
      h('dt', null, 'Thư điện tử'),
      h('dd', null, invitation.email),
      h('dt', null, 'Vai trò'),
      h(
        'dd',
        null,
        roleNames[invitation.role],
        invitation.agencyCode ? [' — ', agencyName(invitation.agency, invitation.agencyCode)] : null,
      ),
      h('dt', null, 'Hiệu lực đến'),
      h('dd', null, day(invitation.expiresAt)),
    ),
    cardForm({
      className: 'card narrow',
      body: [field('Mật khẩu mới', password, 'Ít nhất 10 ký tự.'), field('Nhập lại mật khẩu', again)],
      submit: reset ? 'Đặt mật khẩu' : 'Tạo tài khoản',
      action: async () => {
        const value = passwordOf(password);
        if (value !== passwordOf(again)) throw new Error('Hai lần nhập mật khẩu không khớp.');
        setSession(
          await api('POST /v1/invitations/{token}/accept', {
            params: { token: token ?? '' },
            body: { password: value },
          }),
        );
        location.hash = '#/';
      },
    }),
  );
  password.focus();
}

/** A signed-in person changes their password; their other sessions end. */
export function renderChangePassword() {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  show(
    h('h1', null, 'Đổi mật khẩu'),
    cardForm({
      className: 'card narrow',
      body: [
        field('Mật khẩu hiện tại', current),
        field('Mật khẩu mới', next, 'Ít nhất 10 ký tự.'),
        field('Nhập lại mật khẩu mới', again),
      ],
      submit: 'Đổi mật khẩu',
      action: async (form) => {
        if (passwordOf(next) !== passwordOf(again)) throw new Error('Hai lần nhập mật khẩu mới không khớp.');
        await api('POST /v1/session/password', { body: { current: passwordOf(current), next: passwordOf(next) } });
        form.reset();
        return 'Đã đổi mật khẩu. Các phiên đăng nhập khác của anh/chị đã kết thúc.';
      },
    }),
  );
  current.focus();
}
