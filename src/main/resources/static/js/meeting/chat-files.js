// @ts-check
// Files shared in the chat (docs/signaling.md, "chat files"): uploaded and downloaded over HTTP beside the socket,
// with the participant id and the file key of the welcome; the server's chat message announces a shared file to
// everyone it concerns. No DOM: the view picks the file and saves what comes back.

/** @typedef {import('./protocol.js').ChatAttachment} ChatAttachment */

/**
 * Who is asking, as of the current visit; null when not in a meeting.
 * @typedef {{slug: string, participantId: string, fileKey: string} | null} FileCredentials
 */

/**
 * What came of a share or a download: ok, or the server's (or our own) reason in a word.
 * 'too-large', 'empty', 'bad-name', 'mismatch', 'dangerous', 'disk-full', 'busy', 'rate-limited', 'unknown-recipient',
 * 'forbidden', 'not-found', 'not-joined', 'network'.
 * @typedef {{ok: true, blob?: Blob} | {ok: false, problem: string}} FileResult
 */

export class ChatFiles {
  /**
   * @param {object} options
   * @param {() => FileCredentials} options.credentials
   * @param {{header?: string, token?: string}} options.csrf the page's CSRF header and token
   * @param {number} options.maxBytes the server's limit, checked before anything is sent
   * @param {typeof fetch} [options.fetch]
   */
  constructor({ credentials, csrf, maxBytes, fetch = globalThis.fetch.bind(globalThis) }) {
    this.credentials = credentials;
    this.csrf = csrf;
    this.maxBytes = maxBytes;
    this.fetch = fetch;
  }

  /**
   * Shares a file with everyone, or privately with one participant.
   * @param {Blob & {name: string}} file
   * @param {string | null} to
   * @returns {Promise<FileResult>}
   */
  async share(file, to) {
    const who = this.credentials();
    if (!who) return { ok: false, problem: 'not-joined' };
    if (file.size === 0) return { ok: false, problem: 'empty' };
    if (this.maxBytes > 0 && file.size > this.maxBytes) return { ok: false, problem: 'too-large' };
    const query = new URLSearchParams({ name: file.name });
    if (to) query.set('to', to);
    /** @type {Record<string, string>} */
    const headers = {
      ...this.headers(who),
      'Content-Type': file.type || 'application/octet-stream',
    };
    if (this.csrf.header && this.csrf.token) headers[this.csrf.header] = this.csrf.token;
    return this.call(`/r/${encodeURIComponent(who.slug)}/files?${query}`, { method: 'POST', headers, body: file });
  }

  /**
   * A shared file's bytes.
   * @param {ChatAttachment} file
   * @returns {Promise<FileResult>}
   */
  async download(file) {
    const who = this.credentials();
    if (!who) return { ok: false, problem: 'not-joined' };
    const url = `/r/${encodeURIComponent(who.slug)}/files/${encodeURIComponent(file.id)}`;
    return this.call(url, { method: 'GET', headers: this.headers(who) }, true);
  }

  /**
   * @param {NonNullable<FileCredentials>} who
   * @returns {Record<string, string>}
   */
  headers(who) {
    return { 'X-Parley-Participant': who.participantId, 'X-Parley-File-Key': who.fileKey };
  }

  /**
   * @param {string} url
   * @param {RequestInit} init
   * @param {boolean} [wantBody]
   * @returns {Promise<FileResult>}
   */
  async call(url, init, wantBody = false) {
    let response;
    try {
      response = await this.fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store' });
    } catch (e) {
      return { ok: false, problem: 'network' };
    }
    if (response.ok) return wantBody ? { ok: true, blob: await response.blob() } : { ok: true };
    return { ok: false, problem: await problemOf(response) };
  }
}

/**
 * The word for a refused request: the server's error code without its "file-" prefix, else one from the status.
 * @param {Response} response
 */
async function problemOf(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') return body.error.replace(/^file-/, '');
  } catch (e) {
    // not JSON (a proxy's page): the status says enough
  }
  if (response.status === 413) return 'too-large';
  if (response.status === 403) return 'forbidden';
  if (response.status === 404) return 'not-found';
  return 'network';
}

/**
 * A size for people: "980 B", "12.5 KB", "3.4 MB" (decimal point as the language writes it).
 * @param {number} bytes
 * @param {string} [lang]
 */
export function formatSize(bytes, lang) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(lang || undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}
