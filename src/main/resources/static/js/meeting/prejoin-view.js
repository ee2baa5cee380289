// @ts-check
// The pre-join screen: camera preview, microphone meter, device choice, name, join.

import { checkDisplayName } from './protocol.js';
import { deviceProblem } from './media-errors.js';
import { LocalMedia } from './media.js';
import { initials, hueFor } from './participants.js';
import { setToggle } from './toggle.js';

/** @typedef {import('./media.js').DeviceKind} DeviceKind */
/** @typedef {import('./i18n.js').Texts} Texts */
/**
 * What the person chose on the pre-join screen.
 * @typedef {{name: string, listenOnly: boolean}} JoinChoice
 */

/** @type {Record<DeviceKind, string>} */
const UNNAMED = { videoinput: 'device.unnamedCamera', audioinput: 'device.unnamedMic', audiooutput: 'device.unnamedSpeaker' };

export class PrejoinView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t          texts: t(key, ...args)
   * @param {LocalMedia} media
   * @param {(choice: JoinChoice) => void} onJoin
   */
  constructor(root, t, media, onJoin) {
    this.root = root;
    this.t = t;
    this.media = media;
    this.onJoin = onJoin;
    this.busy = false;
    /**
     * The element the page's template always has (the type says which kind it is).
     * @template {Element} [E=HTMLElement]
     * @param {string} selector
     * @returns {E}
     */
    const $ = (selector) => /** @type {E} */ (root.querySelector(selector));
    this.section = $('[data-testid="prejoin"]');
    /** @type {HTMLVideoElement} */
    this.preview = $('[data-testid="prejoin-preview"]');
    this.previewOff = $('[data-preview-off]');
    this.previewAvatar = $('[data-preview-avatar]');
    this.previewStatus = $('[data-preview-status]');
    /** @type {HTMLButtonElement} */
    this.micToggle = $('[data-mic-toggle]');
    /** @type {HTMLButtonElement} */
    this.cameraToggle = $('[data-camera-toggle]');
    this.micNote = $('[data-mic-note]');
    this.meter = $('[data-testid="prejoin-mic-level"]');
    this.deviceError = $('[data-testid="device-error"]');
    this.deviceErrorText = $('[data-device-error-text]');
    /** @type {HTMLButtonElement} */
    this.retryButton = $('[data-device-retry]');
    /** @type {HTMLButtonElement} */
    this.listenOnlyButton = $('[data-testid="join-listen-only"]');
    this.form = $('[data-prejoin-form]');
    /** @type {HTMLInputElement} */
    this.nameInput = $('[data-testid="prejoin-name"]');
    this.nameError = $('[data-name-error]');
    this.deviceSettings = $('[data-device-settings]');
    this.deviceSettingsHome = /** @type {HTMLElement} */ (this.deviceSettings.parentElement);
    this.deviceSettingsNext = this.deviceSettings.nextElementSibling;
    /** @type {HTMLButtonElement} */
    this.joinButton = $('[data-testid="join-button"]');
    this.joinStatus = $('[data-join-status]');
    /** @type {Partial<Record<DeviceKind, HTMLSelectElement>>} the device choices, by data-device-select */
    this.selects = {};
    /** @type {Partial<Record<DeviceKind, HTMLElement>>} the field around each of them */
    this.fields = {};
    /** @type {NodeListOf<HTMLSelectElement>} */
    const selects = root.querySelectorAll('[data-device-select]');
    selects.forEach((select) => {
      const kind = /** @type {DeviceKind} */ (select.dataset.deviceSelect);
      this.selects[kind] = select;
      this.fields[kind] = /** @type {HTMLElement} */ ($(`[data-device-field="${select.dataset.deviceSelect}"]`));
    });
    this.started = false;
    this.wire();
    this.render();
    // Disabled in the page until now: a click before this script listens would post the form as a plain page.
    this.joinButton.disabled = false;
  }

  wire() {
    const { media } = this;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit(false);
    });
    this.listenOnlyButton.addEventListener('click', () => this.submit(true));
    this.retryButton.addEventListener('click', () => {
      this.retryButton.disabled = true;
      media.start().finally(() => {
        this.retryButton.disabled = false;
      });
    });
    this.micToggle.addEventListener('click', () => media.setMicOn(!media.micOn));
    this.cameraToggle.addEventListener('click', () => media.setCameraOn(!media.cameraOn));
    this.nameInput.addEventListener('input', () => {
      if (!this.nameError.hidden && checkDisplayName(this.nameInput.value).ok) this.showNameError(null);
      this.renderAvatar();
    });
    for (const [kind, select] of this.deviceSelects()) {
      select.addEventListener('change', async () => {
        const ok = await media.selectDevice(kind, select.value);
        if (!ok) this.root.dispatchEvent(new CustomEvent('parley:device-switch-failed'));
      });
    }
    const changes = /** @type {const} */ (['track', 'state', 'outcome', 'devices', 'lost']);
    for (const type of changes) media.on(type, () => this.render());
    try {
      const remembered = localStorage.getItem('parley.displayName');
      if (remembered && !this.nameInput.value) this.nameInput.value = remembered;
    } catch (e) {
      // No storage: the name is simply not remembered.
    }
  }

  /**
   * The device choices on the page, with their kinds.
   * @returns {Array<[DeviceKind, HTMLSelectElement]>}
   */
  deviceSelects() {
    return /** @type {Array<[DeviceKind, HTMLSelectElement]>} */ (Object.entries(this.selects));
  }

  /** @param {boolean} listenOnly */
  submit(listenOnly) {
    if (this.busy) return;
    const check = checkDisplayName(this.nameInput.value);
    if (!check.ok) {
      this.showNameError(check.problem === 'too-long' ? this.t('prejoin.nameTooLong') : this.t('prejoin.nameRequired'));
      this.nameInput.focus();
      return;
    }
    this.showNameError(null);
    this.nameInput.value = check.name;
    try {
      localStorage.setItem('parley.displayName', check.name);
    } catch (e) {
      // See above.
    }
    this.onJoin({ name: check.name, listenOnly });
  }

  /** @param {string | null} text null: no error */
  showNameError(text) {
    this.nameError.hidden = !text;
    if (text) this.nameError.textContent = text;
    this.nameInput.classList.toggle('invalid', !!text);
    this.nameInput.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  /**
   * While the ticket is fetched and the socket opens.
   * @param {boolean} busy
   * @param {string} [status] what is happening, for the status line
   */
  setBusy(busy, status = '') {
    this.busy = busy;
    this.joinButton.disabled = busy;
    this.listenOnlyButton.disabled = busy;
    this.nameInput.readOnly = busy;
    this.joinStatus.textContent = status;
    this.section.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  /**
   * The device fieldset moves into the meeting's settings dialog and back.
   * @param {Element} slot
   */
  lendDeviceSettings(slot) {
    slot.appendChild(this.deviceSettings);
  }

  takeBackDeviceSettings() {
    this.deviceSettingsHome.insertBefore(this.deviceSettings, this.deviceSettingsNext);
  }

  renderAvatar() {
    const name = this.nameInput.value.trim();
    this.previewAvatar.textContent = initials(name);
    this.previewAvatar.style.setProperty('--avatar-hue', String(hueFor(name)));
  }

  render() {
    const { media, t } = this;
    const video = media.track('video');
    const audio = media.track('audio');
    if (video) {
      const stream = /** @type {MediaStream | null} only streams are set here */ (this.preview.srcObject);
      if (!stream || stream.getVideoTracks()[0] !== video) {
        this.preview.srcObject = new MediaStream([video]);
        this.preview.play().catch(() => {});
      }
    } else if (this.preview.srcObject) {
      this.preview.srcObject = null;
    }
    this.previewOff.hidden = !!video;
    let status;
    if (media.outcome.video === 'pending' && media.cameraOn && !media.listenOnly) status = t('prejoin.startingCamera');
    else if (!media.canSend('video')) status = t('prejoin.noCamera');
    else status = t('prejoin.cameraIsOff');
    this.previewStatus.textContent = status;
    this.renderAvatar();

    setToggle(this.micToggle, media.canSend('audio'), media.micOn,
      t('mic.mute'), t('mic.unmute'), t('mic.unavailable'));
    setToggle(this.cameraToggle, media.canSend('video'), media.cameraOn,
      t('camera.stop'), t('camera.start'), t('camera.unavailable'));
    this.micNote.hidden = !(media.canSend('audio') && !media.micOn);
    this.meter.classList.toggle('is-off', !(audio && media.micOn));

    const problem = media.listenOnly ? null : deviceProblem(media.outcome.audio, media.outcome.video);
    const pending = media.outcome.audio === 'pending' || media.outcome.video === 'pending';
    this.deviceError.hidden = !problem || pending;
    if (problem) this.deviceErrorText.textContent = t(problem.key);
    this.retryButton.hidden = !problem || media.outcome.audio === 'insecure';

    this.renderSelects();
  }

  renderSelects() {
    const { media, t } = this;
    for (const [kind, select] of this.deviceSelects()) {
      const devices = media.devices[kind] ?? [];
      const field = /** @type {HTMLElement} each select has its field */ (this.fields[kind]);
      if (kind === 'audiooutput') {
        // Speakers can only be chosen where setSinkId exists, and only named ones make sense.
        const usable = LocalMedia.speakerSelectable() && devices.some((d) => d.deviceId);
        field.hidden = !usable;
        if (!usable) continue;
      }
      const options = devices.filter((d) => d.deviceId).map((d, i) => ({ value: d.deviceId, label: d.label || t(UNNAMED[kind], i + 1) }));
      const selected = media.selected[kind];
      const same = select.options.length === options.length
        && options.every((o, i) => select.options[i].value === o.value && select.options[i].textContent === o.label);
      if (!same) {
        select.replaceChildren(...options.map((o) => {
          const option = document.createElement('option');
          option.value = o.value;
          option.textContent = o.label;
          return option;
        }));
        if (options.length === 0) {
          const option = document.createElement('option');
          option.value = '';
          option.textContent = kind === 'audiooutput' ? t('device.default') : t('device.none');
          select.appendChild(option);
        }
      }
      if (selected && options.some((o) => o.value === selected)) select.value = selected;
      const inputKind = kind === 'audioinput' ? 'audio' : kind === 'videoinput' ? 'video' : null;
      select.disabled = options.length === 0 || (inputKind !== null && (media.listenOnly || media.outcome[inputKind] !== 'ok'));
    }
  }

  /** @param {boolean} visible */
  show(visible) {
    this.section.hidden = !visible;
  }
}
