import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const resources = path.resolve(here, '../../main/resources');
const read = (p) => fs.readFileSync(path.join(resources, p), 'utf8');

function keys(file) {
  return read(file).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.indexOf('=')));
}

test('English and Chinese meeting texts have the same keys, none empty, none twice', () => {
  const en = keys('i18n/meeting.properties');
  const zh = keys('i18n/meeting_zh_CN.properties');
  assert.deepEqual([...zh].sort(), [...en].sort());
  assert.equal(new Set(en).size, en.length);
  for (const line of read('i18n/meeting_zh_CN.properties').split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.ok(line.indexOf('=') < line.length - 1, `empty text: ${line}`);
  }
  const placeholders = (file) => Object.fromEntries(read(file).split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')), (l.match(/\{\d\}/g) || []).sort().join()]));
  assert.deepEqual(placeholders('i18n/meeting_zh_CN.properties'), placeholders('i18n/meeting.properties'));
});

test('every text the page and the scripts use exists', () => {
  const known = new Set(keys('i18n/meeting.properties'));
  const page = read('templates/meeting/prejoin.html');
  for (const [, key] of page.matchAll(/#\{(call\.[\w.-]+)/g)) assert.ok(known.has(key), `template uses ${key}`);
  const texts = new Set([...page.matchAll(/data-text="([\w.-]+)"/g)].map((m) => m[1]));
  const scripts = fs.readdirSync(path.join(resources, 'static/js/meeting')).map((f) => read(`static/js/meeting/${f}`)).join('\n');
  for (const [, key] of scripts.matchAll(/[^\w.]t\('([\w.-]+)'/g)) assert.ok(texts.has(key), `script uses ${key}`);
  for (const [, key] of scripts.matchAll(/'((?:device|error|end)\.[\w-]+)'/g)) assert.ok(texts.has(key), `script uses ${key}`);
  for (const key of texts) assert.ok(known.has(`call.${key}`), `data-text ${key}`);
});

test('the page has every data-testid the browser tests rely on', () => {
  const page = read('templates/meeting/prejoin.html');
  for (const id of ['prejoin', 'prejoin-name', 'prejoin-preview', 'prejoin-mic-level', 'prejoin-camera-select', 'prejoin-mic-select',
    'prejoin-speaker-select', 'prejoin-camera-toggle', 'prejoin-mic-toggle', 'join-button', 'device-error', 'join-listen-only',
    'meeting', 'video-grid', 'video-tile', 'tile-name', 'muted-indicator', 'camera-off-indicator', 'mute-button', 'camera-button',
    'leave-button', 'layout-button', 'stage', 'filmstrip', 'participant-list', 'participant-item', 'lobby-waiting', 'lobby-request', 'lobby-admit', 'lobby-deny',
    'meeting-error', 'left', 'rejoin-button', 'prejoin-title', 'chat-button', 'chat-unread', 'chat-panel', 'chat-messages',
    'chat-empty', 'chat-form', 'chat-input', 'chat-send', 'chat-recipient', 'chat-message', 'chat-message-from',
    'chat-message-private', 'chat-message-time', 'chat-message-text', 'share-button', 'screen-share-banner',
    'screen-share-stop', 'screen-stage', 'screen-switcher', 'screen-tile', 'screen-tile-name', 'screen-tile-paused',
    'tile-video-paused',
    'host-controls', 'host-menu', 'host-mute',
    'host-mute-all', 'host-ask-unmute', 'host-stop-camera', 'host-remove', 'host-remove-ban', 'host-lock', 'host-admit-all',
    'host-end', 'host-make-cohost', 'host-revoke-cohost', 'meeting-locked', 'unmute-prompt', 'unmute-accept',
    'unmute-dismiss']) {
    assert.ok(page.includes(`data-testid="${id}"`), id);
  }
  assert.ok(!/\sstyle=/.test(page), 'no style attributes (CSP)');
  assert.ok(!/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")/.test(page), 'no inline scripts (CSP)');
});

test('scripts never assign style attributes or inline HTML', () => {
  for (const f of fs.readdirSync(path.join(resources, 'static/js/meeting'))) {
    const source = read(`static/js/meeting/${f}`);
    assert.ok(!/\.style\.[a-zA-Z]+\s*=|\.style\s*=|setAttribute\('style'|cssText/.test(source), `${f} sets style directly`);
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML/.test(source), `${f} writes HTML`);
  }
});
