import { sweep } from '../shared/booking/sweeper.js';
import { now } from '../shared/runtime/clock.js';
import { defineTimer } from '../shared/runtime/registry.js';

export default defineTimer({
  name: 'maintenance-sweep',
  schedule: '0 * * * * *',
  handler: async (_timer, context) => {
    const report = await sweep(now());
    if (
      report.ledgerDaysSwept > 0 ||
      report.idempotencyRecordsPurged > 0 ||
      report.authFlowsPurged > 0
    ) {
      context.log(
        `sweep ledgerDays=${report.ledgerDaysSwept} idempotencyPurged=${report.idempotencyRecordsPurged} ` +
          `authFlowsPurged=${report.authFlowsPurged}`,
      );
    }
  },
});
