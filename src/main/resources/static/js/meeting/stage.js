// @ts-check
// Who is on the stage of the speaker layout: the pinned participant; else the room's speaker, once they have held
// the floor for a moment; else the last one who did; else the first other participant. No DOM: ids and times are
// passed in.

/** How long a new speaker must stay the room's speaker before the stage moves to them. */
export const STAGE_HOLD_MS = 2000;
/** How many past speakers are remembered, to fall back on when the latest one leaves. */
const REMEMBERED_SPEAKERS = 16;

/**
 * @typedef {object} StageChoice
 * @property {string | null} stageId  who shows large (null: nobody is here)
 * @property {string | null} pinnedId who is pinned (null: nobody)
 * @property {number | null} recheckAt when a waiting speaker's hold ends, so choose() gives a new answer then
 */

export class StagePicker {
  /** @param {{holdMs?: number}} [options] */
  constructor({ holdMs = STAGE_HOLD_MS } = {}) {
    this.holdMs = holdMs;
    /** @type {string | null} */
    this.pinnedId = null;
    /** @type {string[]} speakers who held the floor, the latest first */
    this.speakers = [];
    /** @type {{id: string, since: number} | null} the room's speaker while they wait out the hold */
    this.waiting = null;
  }

  /**
   * The relay named the room's speaker. Nobody (null) and yourself leave the stage as it is: it shows whoever spoke
   * last, and never your own picture.
   * @param {string | null} participantId
   * @param {number} now milliseconds
   * @param {string | null} selfId
   */
  heard(participantId, now, selfId) {
    if (participantId === null || participantId === selfId) return;
    if (participantId === this.speakers[0]) {
      this.waiting = null;
    } else if (!this.waiting || this.waiting.id !== participantId) {
      this.waiting = { id: participantId, since: now };
    }
  }

  /**
   * Pins a participant to the stage, or unpins them when they are pinned already.
   * @param {string} participantId
   */
  togglePin(participantId) {
    this.pinnedId = this.pinnedId === participantId ? null : participantId;
  }

  /**
   * @param {string[]} others the other participants here, in the order their tiles show
   * @param {string | null} selfId
   * @param {number} now milliseconds, on the clock heard() was given
   * @returns {StageChoice}
   */
  choose(others, selfId, now) {
    const here = (/** @type {string} */ id) => others.includes(id);
    if (this.pinnedId !== null && this.pinnedId !== selfId && !here(this.pinnedId)) this.pinnedId = null;
    const speaker = this.speakers.find(here);
    const waiting = this.waiting;
    // The speaker may be named before their tile comes (the welcome), so a waiting speaker who is not here yet waits.
    if (waiting && here(waiting.id) && (speaker === undefined || now - waiting.since >= this.holdMs)) {
      this.speakers = [waiting.id, ...this.speakers.filter((id) => id !== waiting.id)].slice(0, REMEMBERED_SPEAKERS);
      this.waiting = null;
    }
    const stageId = this.pinnedId ?? this.speakers.find(here) ?? others[0] ?? selfId ?? null;
    const recheckAt = this.waiting && this.pinnedId === null ? this.waiting.since + this.holdMs : null;
    return { stageId, pinnedId: this.pinnedId, recheckAt };
  }

  /** Forget pins and speakers (a new visit: everyone has a new id). */
  reset() {
    this.pinnedId = null;
    this.speakers = [];
    this.waiting = null;
  }
}
