/**
 * The app's only source of "now". Production reads the system clock; tests running the app
 * in-process set a fixed or moving clock instead of changing the machine's time.
 */
let source: () => number = () => Date.now();

export function now(): number {
  return source();
}

export function setClock(next: () => number): void {
  source = next;
}

export function resetClock(): void {
  source = () => Date.now();
}
