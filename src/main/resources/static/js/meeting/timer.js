// @ts-check
// The meeting's timer: how long since the meeting began (the server's time of the first arrival).

/**
 * @param {number} ms
 * @returns {string} m:ss under an hour, else h:mm:ss
 */
export function formatElapsed(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export class MeetingTimer {
  /**
   * @param {HTMLElement} el
   * @param {() => number} [now]
   */
  constructor(el, now = () => Date.now()) {
    this.el = el;
    this.now = now;
    this.timer = 0;
    this.startedAt = 0;
  }

  /** @param {number | null} startedAt the meeting's start, ms since the epoch; null: unknown, no timer */
  start(startedAt) {
    this.stop();
    if (!startedAt) return;
    this.startedAt = startedAt;
    this.el.hidden = false;
    this.tick();
    this.timer = window.setInterval(() => this.tick(), 1000);
  }

  tick() {
    this.el.textContent = formatElapsed(this.now() - this.startedAt);
  }

  stop() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = 0;
    this.el.hidden = true;
  }
}
