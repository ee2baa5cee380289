// @ts-check
// Section 1: asking the page's server for a join ticket, and where the signalling socket is. fetch is passed in.

/**
 * @typedef {'display-name' | 'forbidden' | 'not-found' | 'room-full' | 'session-expired' | 'network' | 'server'}
 *   TicketErrorCode
 */

export class TicketError extends Error {
  /**
   * @param {TicketErrorCode} code
   * @param {string} [serverMessage] the server's own words, if it sent any
   */
  constructor(code, serverMessage = '') {
    super(serverMessage || code);
    this.code = code;
    this.serverMessage = serverMessage;
  }
}

const KNOWN_ERRORS = new Set(['display-name', 'forbidden', 'not-found', 'room-full', 'banned']);

/**
 * POST {ticketUrl} with the display name and the CSRF token.
 * @param {object} request
 * @param {typeof globalThis.fetch} request.fetch
 * @param {string} request.ticketUrl
 * @param {string} request.displayName
 * @param {{header?: string, token?: string}} [request.csrf]
 * @returns {Promise<{ticket: string, expiresInSeconds: number | null, signalingUrl: string}>}, or rejects with a
 *     TicketError
 */
export async function requestTicket({ fetch, ticketUrl, displayName, csrf }) {
  const body = new URLSearchParams();
  body.set('displayName', displayName);
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (csrf && csrf.header && csrf.token) headers[csrf.header] = csrf.token;
  let response;
  try {
    response = await fetch(ticketUrl, {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers,
      body,
    });
  } catch (e) {
    const failure = /** @type {Error | undefined} fetch rejects with a TypeError */ (e);
    throw new TicketError('network', failure && failure.message);
  }
  // A redirect (to the sign-in page) or an HTML error page means the page's session is gone.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new TicketError('session-expired');
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (response.ok) {
    if (!data || typeof data.ticket !== 'string' || data.ticket === '') throw new TicketError('server');
    return {
      ticket: data.ticket,
      expiresInSeconds: Number.isFinite(data.expiresInSeconds) ? data.expiresInSeconds : null,
      signalingUrl: typeof data.signalingUrl === 'string' && data.signalingUrl ? data.signalingUrl : '/ws/signal',
    };
  }
  if (data && KNOWN_ERRORS.has(data.error)) throw new TicketError(data.error, typeof data.message === 'string' ? data.message : '');
  if (response.status === 403) throw new TicketError(data ? 'forbidden' : 'session-expired');
  if (response.status === 404) throw new TicketError('not-found');
  if (response.status === 409) throw new TicketError('room-full');
  throw new TicketError('server');
}

/**
 * ws:// or wss:// URL for the signalling path the ticket names, on the page's own origin.
 * @param {string} signalingUrl
 * @param {string} pageUrl
 */
export function signalingSocketUrl(signalingUrl, pageUrl) {
  const url = new URL(signalingUrl, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.hash = '';
  return url.toString();
}
