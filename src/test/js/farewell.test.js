import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { farewellText } from '../../main/resources/static/js/meeting/farewell.js';
import { format } from '../../main/resources/static/js/meeting/i18n.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The page's texts in one language, as its t(key, ...args) gives them (keys without the `call.` prefix). */
function texts(file) {
  const lines = fs.readFileSync(path.resolve(here, '../../main/resources/i18n', file), 'utf8').split('\n');
  const map = new Map(lines.filter((l) => l.startsWith('call.')).map((l) => [l.slice(5, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return (key, ...args) => (map.has(key) ? format(map.get(key), ...args) : key);
}

const en = texts('meeting.properties');
const zh = texts('meeting_zh_CN.properties');
const said = (t, reason, moderation, selfId = 'p-me') => {
  const { key, args } = farewellText(reason, moderation, selfId);
  return t(key, ...args);
};
const byHost = (action, ban = false) => ({ type: 'moderated', action, by: { participantId: 'p-h', displayName: 'Hana' }, ban, admin: false });
const byAdmin = (action) => ({ type: 'moderated', action, by: { participantId: '', displayName: 'Root Admin' }, ban: false, admin: true });

test('removed or ended by an administrator from Admin -> Live: the page says an administrator, naming them', () => {
  assert.equal(said(en, 'removed', byAdmin('remove')), 'An administrator (Root Admin) removed you from the meeting.');
  assert.equal(said(en, 'meeting-ended', byAdmin('end')), 'An administrator (Root Admin) ended the meeting.');
  assert.equal(said(zh, 'removed', byAdmin('remove')), '管理员（Root Admin）将您移出了会议。');
  assert.equal(said(zh, 'meeting-ended', byAdmin('end')), '管理员（Root Admin）结束了会议。');
  for (const t of [en, zh]) {
    for (const text of [said(t, 'removed', byAdmin('remove')), said(t, 'meeting-ended', byAdmin('end'))]) {
      assert.ok(!text.includes('host') && !text.includes('主持人'), `no host in "${text}"`);
    }
  }
  assert.equal(said(en, 'meeting-ended', byAdmin('end'), ''), 'An administrator (Root Admin) ended the meeting.',
    'an admin has no participant id: never "you ended it", even for a page that has none either');
});

test('removed, banned or ended by a host, or by yourself, or for no control at all', () => {
  assert.equal(said(en, 'removed', byHost('remove')), 'Hana (host) removed you from the meeting.');
  assert.equal(said(en, 'banned', byHost('remove', true)), 'Hana (host) removed you from the meeting. You cannot rejoin it.');
  assert.equal(said(en, 'meeting-ended', byHost('end')), 'The host ended the meeting.');
  assert.equal(said(en, 'meeting-ended', byHost('end'), 'p-h'), 'You ended the meeting for everyone.');
  assert.equal(said(en, 'meeting-ended', null), 'The host ended the meeting.');
  assert.equal(said(en, 'removed', byHost('mute')), en('end.removed'), 'a removal without its notice: the plain words');
  assert.deepEqual(farewellText('some-newer-reason', null, 'p-me'), { key: 'end.some-newer-reason', args: [] },
    'an unknown reason: a key the page lacks, so it falls back');
});
