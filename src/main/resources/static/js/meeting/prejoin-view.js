// The pre-join screen: camera preview, microphone meter, device choice, name, join.

import { checkDisplayName } from './protocol.js';
import { deviceProblem } from './media-errors.js';
import { LocalMedia } from './media.js';
import { initials, hueFor } from './participants.js';
import { setToggle } from './toggle.js';

const UNNAMED = { videoinput: 'device.unnamedCamera', audioinput: 'device.unnamedMic', audiooutput: 'device.unnamedSpeaker' };

export class PrejoinView {
  /**
   * @param root   the page's [data-meeting-app] element
   * @param t      texts: t(key, ...args)
   * @param media  LocalMedia
   * @param onJoin ({name, listenOnly}) => void
   */
  constructor(root, t, media, onJoin) {
    this.root = root;
    this.t = t;
    this.media = media;
    this.onJoin = onJoin;
    this.busy = false;
    const $ = (selector) => root.querySelector(selector);
    this.section = $('[data-testid="prejoin"]');
    this.preview = $('[data-testid="prejoin-preview"]');
    this.previewOff = $('[data-preview-off]');
    this.previewAvatar = $('[data-preview-avatar]');
    this.previewStatus = $('[data-preview-status]');
    this.micToggle = $('[data-mic-toggle]');
    this.cameraToggle = $('[data-camera-toggle]');
    this.micNote = $('[data-mic-note]');
    this.meter = $('[data-testid="prejoin-mic-level"]');
    this.deviceError = $('[data-testid="device-error"]');
    this.deviceErrorText = $('[data-device-error-text]');
    this.retryButton = $('[data-device-retry]');
    this.listenOnlyButton = $('[data-testid="join-listen-only"]');
    this.form = $('[data-prejoin-form]');
    this.nameInput = $('[data-testid="prejoin-name"]');
    this.nameError = $('[data-name-error]');
    this.deviceSettings = $('[data-device-settings]');
    this.deviceSettingsHome = this.deviceSettings.parentElement;
    this.deviceSettingsNext = this.deviceSettings.nextElementSibling;
    this.joinButton = $('[data-testid="join-button"]');
    this.joinStatus = $('[data-join-status]');
    this.selects = {};
    this.fields = {};
    root.querySelectorAll('[data-device-select]').forEach((select) => {
      this.selects[select.dataset.deviceSelect] = select;
      this.fields[select.dataset.deviceSelect] = root.querySelector(`[data-device-field="${select.dataset.deviceSelect}"]`);
    });
    this.started = false;
    this.wire();
    this.render();
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
    for (const [kind, select] of Object.entries(this.selects)) {
      select.addEventListener('change', async () => {
        const ok = await media.selectDevice(kind, select.value);
        if (!ok) this.root.dispatchEvent(new CustomEvent('parley:device-switch-failed'));
      });
    }
    for (const type of ['track', 'state', 'outcome', 'devices', 'lost']) media.on(type, () => this.render());
    try {
      const remembered = localStorage.getItem('parley.displayName');
      if (remembered && !this.nameInput.value) this.nameInput.value = remembered;
    } catch (e) {
      // No storage: the name is simply not remembered.
    }
  }

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

  showNameError(text) {
    this.nameError.hidden = !text;
    if (text) this.nameError.textContent = text;
    this.nameInput.classList.toggle('invalid', !!text);
    this.nameInput.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  /** While the ticket is fetched and the socket opens. */
  setBusy(busy, status = '') {
    this.busy = busy;
    this.joinButton.disabled = busy;
    this.listenOnlyButton.disabled = busy;
    this.nameInput.readOnly = busy;
    this.joinStatus.textContent = status;
    this.section.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  /** The device fieldset moves into the meeting's settings dialog and back. */
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
      if (!this.preview.srcObject || this.preview.srcObject.getVideoTracks()[0] !== video) {
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
    for (const [kind, select] of Object.entries(this.selects)) {
      const devices = media.devices[kind] ?? [];
      const field = this.fields[kind];
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

  show(visible) {
    this.section.hidden = !visible;
  }
}
