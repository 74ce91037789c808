import { afterSignIn, api, setSession } from '../api.ts';
import { field, h, say, show, statusArea } from '../dom.ts';
import { day, roleNames } from '../format.ts';
import { agencyName } from '../names.ts';

export function renderLogin(_params: string[], query: URLSearchParams) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = statusArea();
  const form = h(
    'form',
    {
      class: 'card narrow',
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        say(status, 'Đang đăng nhập…');
        try {
          setSession(
            await api('POST /v1/session', {
              body: {
                email: (email as HTMLInputElement).value,
                password: (password as HTMLInputElement).value,
              },
            }),
          );
          location.hash = afterSignIn(query);
        } catch (error) {
          say(status, (error as Error).message, 'error');
        }
      },
    },
    field('Thư điện tử', email),
    field('Mật khẩu', password),
    h('button', { type: 'submit' }, 'Đăng nhập'),
    status,
  );
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
  const status = statusArea();
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
    h(
      'form',
      {
        class: 'card narrow',
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          const value = (password as HTMLInputElement).value;
          if (value !== (again as HTMLInputElement).value) {
            say(status, 'Hai lần nhập mật khẩu không khớp.', 'error');
            return;
          }
          try {
            setSession(
              await api('POST /v1/invitations/{token}/accept', {
                params: { token: token ?? '' },
                body: { password: value },
              }),
            );
            location.hash = '#/';
          } catch (error) {
            say(status, (error as Error).message, 'error');
          }
        },
      },
      field('Mật khẩu mới', password, 'Ít nhất 10 ký tự.'),
      field('Nhập lại mật khẩu', again),
      h('button', { type: 'submit' }, reset ? 'Đặt mật khẩu' : 'Tạo tài khoản'),
      status,
    ),
  );
  password.focus();
}

/** A signed-in person changes their password; their other sessions end. */
export function renderChangePassword() {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const status = statusArea();
  const value = (e: HTMLElement) => (e as HTMLInputElement).value;
  show(
    h('h1', null, 'Đổi mật khẩu'),
    h(
      'form',
      {
        class: 'card narrow',
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          if (value(next) !== value(again)) {
            say(status, 'Hai lần nhập mật khẩu mới không khớp.', 'error');
            return;
          }
          try {
            await api('POST /v1/session/password', { body: { current: value(current), next: value(next) } });
            (event.target as HTMLFormElement).reset();
            say(status, 'Đã đổi mật khẩu. Các phiên đăng nhập khác của anh/chị đã kết thúc.');
          } catch (error) {
            say(status, (error as Error).message, 'error');
          }
        },
      },
      field('Mật khẩu hiện tại', current),
      field('Mật khẩu mới', next, 'Ít nhất 10 ký tự.'),
      field('Nhập lại mật khẩu mới', again),
      h('button', { type: 'submit' }, 'Đổi mật khẩu'),
      status,
    ),
  );
  current.focus();
}
