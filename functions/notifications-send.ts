import { bookingNoticeSchema } from '../shared/booking/notices.js';
import { sendBookingNotice } from '../shared/notifications/booking-email.js';
import { defineQueue } from '../shared/runtime/registry.js';
import { QUEUES } from '../shared/storage/queues.js';

export default defineQueue({
  name: 'notifications-send',
  queueName: QUEUES.bookingNotifications,
  handler: async (message, context) => {
    const parsed = bookingNoticeSchema.safeParse(message);
    if (!parsed.success) {
      // A malformed message would fail the same way five times; drop it with a trace instead.
      context.warn(`notice dropped reason=malformed invocation=${context.invocationId}`);
      return;
    }
    const notice = parsed.data;
    const { reference } = await sendBookingNotice(notice);
    context.log(
      `notice ${reference ? 'sent' : 'skipped'} kind=${notice.kind} tenant=${notice.tenantId} ` +
        `booking=${notice.bookingId}${reference ? ` ref=${reference}` : ''}`,
    );
  },
});
