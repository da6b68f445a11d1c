import { formatSpan } from './time.js';

export interface SummaryProps {
  serviceName: string;
  /** The staff member's name, or a phrase such as "Anyone available". */
  staffName: string;
  start: number;
  end: number;
  zone: string;
  businessZone: string;
  customer?: { name: string; email: string };
}

/** What, with whom and when: the time in the visitor's zone, and in the business's when it differs. */
export function Summary(props: SummaryProps) {
  return (
    <dl class="summary">
      <div>
        <dt>Service</dt>
        <dd>{props.serviceName}</dd>
      </div>
      <div>
        <dt>With</dt>
        <dd>{props.staffName}</dd>
      </div>
      <div>
        <dt>When</dt>
        <dd>
          {formatSpan(props.start, props.end, props.zone)} <span class="muted">({props.zone})</span>
        </dd>
      </div>
      {props.businessZone !== props.zone && (
        <div>
          <dt>Business time</dt>
          <dd>
            {formatSpan(props.start, props.end, props.businessZone)}{' '}
            <span class="muted">({props.businessZone})</span>
          </dd>
        </div>
      )}
      {props.customer && (
        <div>
          <dt>Booked for</dt>
          <dd>
            {props.customer.name} <span class="muted">({props.customer.email})</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
