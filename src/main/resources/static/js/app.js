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

/** Forms with data-confirm ask before they submit. */
function wireConfirmations() {
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
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
