/**
 * Why an e-mail or a webhook did not go out, as people are told it: a category and its Vietnamese
 * label, never the network's own words. "connect ECONNREFUSED 10.0.0.5:9913" against "HTTP 500"
 * against a time-out would let whoever chooses the address map the network the worker sits in; the
 * category says what the sender can act on and nothing about the machines on the way. The detail
 * goes to the worker's log, by delivery id.
 */
export const deliveryFailureLabels = {
  unreachable: 'không kết nối được',
  timeout: 'máy nhận không trả lời kịp',
  'http-4xx': 'máy nhận từ chối (4xx)',
  'http-5xx': 'máy nhận trả lỗi 5xx',
  'http-other': 'máy nhận trả lời mã không mong đợi',
  redirect: 'máy nhận chuyển hướng (không theo)',
  'refused-target': 'địa chỉ không được phép (mạng nội bộ)',
  tls: 'chứng chỉ TLS của máy nhận không hợp lệ',
  protocol: 'máy nhận trả lời không đúng giao thức HTTP',
  'bad-address': 'địa chỉ nhận không hợp lệ',
  'no-secret': 'webhook chưa có khoá bí mật',
  'mail-rejected': 'máy chủ thư từ chối thư',
  'mail-unavailable': 'không gửi được tới máy chủ thư',
  cancelled: 'lần gửi bị dừng giữa chừng (máy xử lý dừng)',
  'contact-removed': 'người nhận đã bị xoá',
  'nothing-to-send': 'không còn gì để gửi',
  error: 'lỗi khác',
} as const;

export type DeliveryFailure = keyof typeof deliveryFailureLabels;
export const deliveryFailures = Object.keys(deliveryFailureLabels) as DeliveryFailure[];

export function isDeliveryFailure(value: string): value is DeliveryFailure {
  return Object.hasOwn(deliveryFailureLabels, value);
}

/** The category of an HTTP status that is not a success. */
export function failureOfStatus(status: number): DeliveryFailure {
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'http-4xx';
  if (status >= 500 && status < 600) return 'http-5xx';
  return 'http-other';
}

/**
 * The category of what the database holds: a category itself, or, in rows written before
 * categories (and in "retry window over: …" from the delivery workflow), the old free text, read
 * into a category so that no old row shows its network detail.
 */
export function deliveryFailureOf(stored: string | null): DeliveryFailure | null {
  if (stored === null) return null;
  const value = stored.replace(/^retry window over:\s*/, '').trim();
  if (isDeliveryFailure(value)) return value;
  const status = /\bHTTP (\d{3})\b/.exec(value);
  if (status) return failureOfStatus(Number(status[1]));
  if (/redirect/i.test(value)) return 'redirect';
  if (/contact was removed/i.test(value)) return 'contact-removed';
  if (/nothing to send/i.test(value)) return 'nothing-to-send';
  if (/no secret/i.test(value)) return 'no-secret';
  if (/time(d)?[ -]?out|ETIMEDOUT|aborted/i.test(value)) return 'timeout';
  if (/certificate|TLS|SSL/i.test(value)) return 'tls';
  if (/ECONN|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|fetch failed|socket|connect/i.test(value))
    return 'unreachable';
  return 'error';
}

/** What a reader is shown of a stored error: the category and its label. */
export function describeDeliveryFailure(stored: string | null): { code: DeliveryFailure; label: string } | null {
  const code = deliveryFailureOf(stored);
  return code === null ? null : { code, label: deliveryFailureLabels[code] };
}
