// The recordings pages: a recording being recorded or made into a video asks for its status every two seconds and
// shows it (state, progress, sizes, error) without a reload; the download link appears once the video is ready.

const POLL_MS = 2000;
const SETTLED = new Set(['READY', 'FAILED']);

function show(card, status) {
  const set = (testId, text) => {
    const element = card.querySelector(`[data-testid="${testId}"]`);
    if (element && text != null) element.textContent = text;
  };
  card.dataset.state = status.state;
  const badge = card.querySelector('[data-testid="recording-state"]');
  if (badge) {
    badge.className = `badge recording-${status.state.toLowerCase()}`;
    badge.textContent = status.stateText;
  }
  set('recording-duration', status.duration);
  set('recording-composed-size', status.composedSize);
  const progress = card.querySelector('[data-testid="recording-progress"]');
  if (progress) {
    progress.hidden = status.state !== 'COMPOSING';
    progress.querySelector('progress').value = status.progress;
    set('recording-progress-text', `${status.progress} %`);
  }
  const error = card.querySelector('[data-testid="recording-error"]');
  if (error) {
    error.hidden = status.state !== 'FAILED';
    if (status.errorText) error.textContent = status.errorText;
  }
  const download = card.querySelector('[data-testid="recording-download"]');
  if (download && status.composedUrl) {
    download.href = status.composedUrl;
    download.hidden = false;
  }
}

function watch(card) {
  const timer = window.setInterval(async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(card.dataset.statusUrl, {
        credentials: 'same-origin', redirect: 'error', headers: { Accept: 'application/json' },
      });
      if (!response.ok) {
        if (response.status === 403 || response.status === 404) window.clearInterval(timer);
        return;
      }
      const status = await response.json();
      show(card, status);
      if (SETTLED.has(status.state)) window.clearInterval(timer);
    } catch (e) {
      // offline, or signed out meanwhile: keep what is shown and try again
    }
  }, POLL_MS);
}

document.querySelectorAll('[data-status-url]').forEach((card) => {
  if (!SETTLED.has(card.dataset.state)) watch(card);
});
