// @ts-check
// The network check's part of the pre-join page: a button, one line per path, the round trip, the upload, and a
// sentence in plain words.
import { checkNetwork, summary } from './network-check.js';

/** @typedef {import('./i18n.js').Texts} Texts */
/** @typedef {import('./network-check.js').Outcome} Outcome */

export class NetworkCheckView {
  /**
   * @param {HTMLElement} root the [data-network-check] element
   * @param {Texts} t
   * @param {{ header: string | undefined, token: string | undefined }} csrf
   */
  constructor(root, t, csrf) {
    this.root = root;
    this.t = t;
    this.csrf = csrf;
    this.button = /** @type {HTMLButtonElement} */ (root.querySelector('[data-network-check-run]'));
    this.list = /** @type {HTMLElement} */ (root.querySelector('[data-testid="network-check-result"]'));
    this.summary = /** @type {HTMLElement} */ (root.querySelector('[data-testid="network-check-summary"]'));
    this.button.addEventListener('click', () => this.run());
  }

  async run() {
    const { t } = this;
    this.button.disabled = true;
    this.button.textContent = t('network.running');
    this.list.hidden = false;
    this.summary.textContent = '';
    this.root.removeAttribute('data-outcome');
    this.list.querySelectorAll('[data-path]').forEach((li) => {
      li.removeAttribute('data-verdict');
      /** @type {HTMLElement} */ (li.querySelector('[data-verdict-text]')).textContent = '…';
    });
    this.list.querySelectorAll('[data-measure]').forEach((li) => { /** @type {HTMLElement} */ (li).hidden = true; });
    try {
      const outcome = await checkNetwork({
        fetch: (...args) => window.fetch(...args),
        url: /** @type {string} the template sets it */ (this.root.dataset.url),
        csrf: this.csrf,
        RTCPeerConnection: window.RTCPeerConnection,
      }, (partial) => this.show(partial));
      const [key, ...args] = summary(outcome);
      this.summary.textContent = t(key, ...args);
      this.root.dataset.outcome = key.replace('network.summary.', '');
    } catch (e) {
      this.summary.textContent = t('network.failed', e instanceof Error ? e.message : String(e));
      this.root.dataset.outcome = 'failed';
    } finally {
      this.button.disabled = false;
      this.button.textContent = t('network.run');
    }
  }

  /** @param {Partial<Outcome>} partial */
  show(partial) {
    for (const path of /** @type {const} */ (['udp', 'tcp', 'turn'])) {
      const verdict = partial[path];
      if (!verdict) continue;
      const li = /** @type {HTMLElement} */ (this.list.querySelector(`[data-path="${path}"]`));
      li.dataset.verdict = verdict;
      /** @type {HTMLElement} */ (li.querySelector('[data-verdict-text]')).textContent = this.t(`network.verdict.${verdict}`);
    }
    if (partial.rttMs !== undefined && partial.rttMs !== null) {
      const li = /** @type {HTMLElement} */ (this.list.querySelector('[data-measure="rtt"]'));
      li.textContent = this.t('network.rtt', partial.rttMs);
      li.dataset.value = String(partial.rttMs);
      li.hidden = false;
    }
    if (partial.uploadKbps !== undefined && partial.uploadKbps !== null) {
      const li = /** @type {HTMLElement} */ (this.list.querySelector('[data-measure="upload"]'));
      li.textContent = this.t('network.upload', (partial.uploadKbps / 1000).toFixed(1));
      li.dataset.value = String(partial.uploadKbps);
      li.hidden = false;
    }
  }
}
