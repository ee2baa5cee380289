import test from 'node:test';
import assert from 'node:assert/strict';
import { invitationText } from '../../main/resources/static/js/meeting/invitation.js';
import { formatElapsed } from '../../main/resources/static/js/meeting/timer.js';

const texts = {
  'invite.intro': 'You are invited to the meeting “{0}”.',
  'invite.when': 'When: {0} ({1})',
  'invite.link': 'Join from your browser: {0}',
  'invite.passcode': 'A passcode is needed to join; ask the host for it.',
};
const t = (key, ...args) => (texts[key] ?? key).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));

test('the invitation names the meeting, its time in the reader\'s zone, the link and the need for a passcode', () => {
  const text = invitationText(t, {
    title: 'Planning', joinUrl: 'https://meet.example.org/r/abc', passcode: true,
    startsAt: new Date('2026-12-04T09:00:00Z'), endsAt: new Date('2026-12-04T10:00:00Z'),
  }, 'en-GB', 'Europe/Berlin');
  const lines = text.split('\n');
  assert.equal(lines[0], 'You are invited to the meeting “Planning”.');
  assert.match(lines[1], /^When: Friday,? 4 December 2026.*10:00.*11:00 \(Europe\/Berlin\)$/);
  assert.equal(lines[2], 'Join from your browser: https://meet.example.org/r/abc');
  assert.equal(lines[3], 'A passcode is needed to join; ask the host for it.');
});

test('no passcode line without one, and no time line when the times are unknown', () => {
  const text = invitationText(t, { title: 'Now', joinUrl: 'http://h/r/x', passcode: false, startsAt: null,
    endsAt: new Date('bad') }, 'en', 'UTC');
  assert.deepEqual(text.split('\n'), ['You are invited to the meeting “Now”.', 'Join from your browser: http://h/r/x']);
});

test('the timer shows m:ss, then h:mm:ss, and never less than zero', () => {
  assert.equal(formatElapsed(0), '0:00');
  assert.equal(formatElapsed(65_400), '1:05');
  assert.equal(formatElapsed(3_600_000 + 7 * 60_000 + 9_000), '1:07:09');
  assert.equal(formatElapsed(-3000), '0:00', 'a client clock a little ahead of the server\'s');
});
