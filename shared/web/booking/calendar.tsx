import { useLayoutEffect, useRef, useState } from 'preact/hooks';

import { addDays, formatLongDate, weekdayOf } from '../common/time.js';
import {
  addMonths,
  daysInMonth,
  firstOfMonth,
  formatMonth,
  monthOf,
  weekdayNames,
} from './time.js';

export interface MonthCalendarProps {
  month: string;
  /** Dates of the shown month that have at least one time, with how many. */
  available: Map<string, number>;
  selected: string | undefined;
  today: string;
  /** The last date the service can be booked (its furthest advance), if known. */
  lastDate: string;
  loading: boolean;
  onSelect: (date: string) => void;
  onMonthChange: (month: string) => void;
}

/**
 * A month as an ARIA grid (the WAI-ARIA date picker pattern): one cell in the tab order, arrows
 * move a day or a week, Home/End to the week's ends, Page Up/Down a month, Enter or Space picks.
 * Days without times stay reachable by arrow (so the grid reads as a calendar) but cannot be
 * picked.
 */
export function MonthCalendar(props: MonthCalendarProps) {
  const { month, available, selected, today, lastDate } = props;
  const [focused, setFocused] = useState<string | undefined>(undefined);
  const moveFocus = useRef(false);
  const grid = useRef<HTMLTableElement>(null);
  const firstMonth = monthOf(today);
  const lastMonth = monthOf(lastDate);

  const inMonth = (date: string | undefined) => date !== undefined && monthOf(date) === month;
  const firstAvailable = [...available.keys()].sort()[0];
  const active = inMonth(focused)
    ? focused!
    : inMonth(selected)
      ? selected!
      : (firstAvailable ?? (month === firstMonth ? today : firstOfMonth(month)));

  // Layout effect: the cell takes focus in the same frame as the key press that moved it.
  useLayoutEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    grid.current?.querySelector<HTMLElement>(`[data-date="${active}"]`)?.focus();
  });

  const focusDate = (date: string) => {
    const clamped = date < today ? today : date > lastDate ? lastDate : date;
    setFocused(clamped);
    moveFocus.current = true;
    if (monthOf(clamped) !== month) props.onMonthChange(monthOf(clamped));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, () => string> = {
      ArrowRight: () => addDays(active, 1),
      ArrowLeft: () => addDays(active, -1),
      ArrowDown: () => addDays(active, 7),
      ArrowUp: () => addDays(active, -7),
      Home: () => addDays(active, -weekdayOf(active)),
      End: () => addDays(active, 6 - weekdayOf(active)),
      PageUp: () => shiftMonth(active, -1),
      PageDown: () => shiftMonth(active, 1),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      focusDate(move());
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (available.has(active)) props.onSelect(active);
    }
  };

  const changeMonth = (delta: number) => {
    setFocused(undefined);
    props.onMonthChange(addMonths(month, delta));
  };

  const first = firstOfMonth(month);
  const lead = weekdayOf(first);
  const cells: (string | undefined)[] = [
    ...Array.from({ length: lead }, () => undefined),
    ...Array.from({ length: daysInMonth(month) }, (_, index) => addDays(first, index)),
  ];
  while (cells.length % 7 !== 0) cells.push(undefined);
  const weeks = Array.from({ length: cells.length / 7 }, (_, row) =>
    cells.slice(row * 7, row * 7 + 7),
  );
  const names = weekdayNames();
  const captionId = `calendar-${month}`;

  return (
    <div class="calendar">
      <div class="calendar-head">
        <button
          type="button"
          class="button secondary month-step"
          aria-label="Previous month"
          disabled={month <= firstMonth}
          onClick={() => changeMonth(-1)}
        >
          <span aria-hidden="true">‹</span>
        </button>
        <h3 id={captionId} class="calendar-caption" aria-live="polite">
          {formatMonth(month)}
        </h3>
        <button
          type="button"
          class="button secondary month-step"
          aria-label="Next month"
          disabled={month >= lastMonth}
          onClick={() => changeMonth(1)}
        >
          <span aria-hidden="true">›</span>
        </button>
      </div>
      <table
        ref={grid}
        role="grid"
        class="calendar-grid"
        aria-labelledby={captionId}
        aria-busy={props.loading}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            {names.map((name) => (
              <th scope="col" abbr={name.long} key={name.long}>
                {name.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, row) => (
            <tr key={row}>
              {week.map((date, column) => {
                if (!date) return <td key={`blank-${column}`} class="blank" />;
                const count = available.get(date) ?? 0;
                const label = `${formatLongDate(date)}, ${
                  props.loading
                    ? 'loading'
                    : count === 0
                      ? 'no times'
                      : count === 1
                        ? '1 time'
                        : `${count} times`
                }`;
                return (
                  <td
                    key={date}
                    data-date={date}
                    class={`day${count > 0 ? ' open' : ''}${date === selected ? ' chosen' : ''}`}
                    tabIndex={date === active ? 0 : -1}
                    aria-label={label}
                    aria-selected={date === selected}
                    aria-disabled={count === 0}
                    aria-current={date === today ? 'date' : undefined}
                    onClick={() => {
                      setFocused(date);
                      if (count > 0) props.onSelect(date);
                    }}
                  >
                    {Number(date.slice(8))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The same day of another month, or that month's last day when it is shorter. */
function shiftMonth(date: string, delta: number): string {
  const month = addMonths(monthOf(date), delta);
  const day = Math.min(Number(date.slice(8)), daysInMonth(month));
  return `${month}-${String(day).padStart(2, '0')}`;
}
