// Parley's small page helpers. Loaded as a module on every page; no inline scripts anywhere (CSP).

const TIME_ZONE_COOKIE = 'parley_tz';

/** Tells the server the browser's time zone, so dates are shown in the viewer's own zone. */
function rememberTimeZone() {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  const current = document.cookie.split('; ').find((c) => c.startsWith(TIME_ZONE_COOKIE + '='));
  const value = encodeURIComponent(zone);
  if (!current || current.substring(TIME_ZONE_COOKIE.length + 1) !== value) {
    document.cookie = `${TIME_ZONE_COOKIE}=${value}; path=/; max-age=31536000; SameSite=Lax`;
  }
}

/** Buttons with data-copy-target copy the named input's value and say so in the nearest [data-copy-status]. */
function wireCopyButtons() {
  document.querySelectorAll('[data-copy-target]').forEach((button) => {
    button.addEventListener('click', async () => {
      const input = document.getElementById(button.dataset.copyTarget);
      if (!input) return;
      const status = button.closest('section, .card')?.querySelector('[data-copy-status]')
        ?? document.querySelector('[data-copy-status]');
      try {
        await navigator.clipboard.writeText(input.value);
      } catch (e) {
        input.select();
        document.execCommand && document.execCommand('copy');
      }
      if (status) status.textContent = status.dataset.copiedText || '✓';
    });
  });
  // A secret (the streaming token) shows as dots until its button reveals it.
  document.querySelectorAll('[data-reveal-target]').forEach((button) => {
    button.addEventListener('click', () => {
      const input = document.getElementById(button.dataset.revealTarget);
      if (!input) return;
      const shown = input.type === 'password';
      input.type = shown ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(shown));
      button.textContent = shown ? button.dataset.hideText : button.dataset.showText;
    });
  });
  document.querySelectorAll('[data-select-on-focus]').forEach((input) => {
    input.addEventListener('focus', () => input.select());
  });
}

/** Forms with data-confirm ask before they submit (also those a refresh brings in later). */
function wireConfirmations() {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
}

/**
 * Parts with data-refresh-url fetch themselves again every data-refresh-seconds while the page is visible and
 * nothing in them has the focus (so a click about to happen lands where it was aimed). The admin's live view uses it.
 */
function wireRefreshes() {
  document.querySelectorAll('[data-refresh-url]').forEach((part) => {
    let current = part;
    const seconds = Math.max(2, Number(part.dataset.refreshSeconds) || 5);
    window.setInterval(async () => {
      if (document.hidden || current.contains(document.activeElement)) return;
      try {
        const response = await fetch(current.dataset.refreshUrl, { credentials: 'same-origin', redirect: 'error' });
        if (!response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').body.firstElementChild;
        if (fresh && fresh.dataset.refreshUrl) {
          current.replaceWith(fresh);
          current = fresh;
        }
      } catch (e) {
        // offline, or signed out meanwhile (a redirect to the login page): keep what is shown
      }
    }, seconds * 1000);
  });
}

/** The start page's "paste a meeting link" box: accepts a full link or just the room's path. */
function wireJoinByLink() {
  const form = document.querySelector('[data-join-by-link]');
  if (!form) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = form.querySelector('input').value.trim();
    const error = form.querySelector('[data-join-error]');
    const match = raw.match(/\/r\/([A-Za-z0-9_-]{22})(?:[/?#].*)?$/) || raw.match(/^([A-Za-z0-9_-]{22})$/);
    if (!match) {
      error.hidden = false;
      return;
    }
    window.location.assign(`/r/${match[1]}`);
  });
}

rememberTimeZone();
wireCopyButtons();
wireConfirmations();
wireJoinByLink();
wireRefreshes();
