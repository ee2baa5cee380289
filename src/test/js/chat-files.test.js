import test from 'node:test';
import assert from 'node:assert/strict';
import { ChatFiles, formatSize } from '../../main/resources/static/js/meeting/chat-files.js';

/** A fetch that records its calls and answers with the given responses in turn. */
function recordingFetch(...responses) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, fetch };
}

const who = { slug: 'ab cd', participantId: 'p-1', fileKey: 'k3y' };
const named = (text, name, type = 'text/plain') => Object.assign(new Blob([text], { type }), { name });

test('a share posts the file itself with the participant, key, CSRF and recipient', async () => {
  const { calls, fetch } = recordingFetch(new Response('{"id":"f1"}', { status: 201 }));
  const files = new ChatFiles({ credentials: () => who, csrf: { header: 'X-CSRF-TOKEN', token: 'c' }, maxBytes: 100, fetch });
  assert.deepEqual(await files.share(named('hello', 'notes & plans.txt'), 'p-2'), { ok: true });
  assert.equal(calls[0].url, '/r/ab%20cd/files?name=notes+%26+plans.txt&to=p-2');
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(calls[0].init.headers, { 'X-Parley-Participant': 'p-1', 'X-Parley-File-Key': 'k3y',
    'Content-Type': 'text/plain', 'X-CSRF-TOKEN': 'c' });
  assert.equal(await calls[0].init.body.text(), 'hello');
});

test('what is too large, empty or without a visit is not sent at all', async () => {
  const { calls, fetch } = recordingFetch();
  const files = new ChatFiles({ credentials: () => who, csrf: {}, maxBytes: 4, fetch });
  assert.deepEqual(await files.share(named('hello', 'a.txt'), null), { ok: false, problem: 'too-large' });
  assert.deepEqual(await files.share(named('', 'a.txt'), null), { ok: false, problem: 'empty' });
  const away = new ChatFiles({ credentials: () => null, csrf: {}, maxBytes: 4, fetch });
  assert.deepEqual(await away.share(named('hi', 'a.txt'), null), { ok: false, problem: 'not-joined' });
  assert.equal(calls.length, 0);
});

test('the server\'s refusal comes back as its word, without the file- prefix; a network failure as network', async () => {
  const { fetch } = recordingFetch(
    new Response('{"error":"file-mismatch","message":"m"}', { status: 415 }),
    new Response('<html>proxy</html>', { status: 413 }),
    new Response('{"error":"rate-limited"}', { status: 429 }),
    new TypeError('offline'));
  const files = new ChatFiles({ credentials: () => who, csrf: {}, maxBytes: 0, fetch });
  const problems = [];
  for (let i = 0; i < 4; i++) problems.push((await files.share(named('x', 'a.txt'), null)).problem);
  assert.deepEqual(problems, ['mismatch', 'too-large', 'rate-limited', 'network']);
});

test('a download sends the key and gives the bytes', async () => {
  const { calls, fetch } = recordingFetch(new Response('bytes'), new Response('{"error":"not-found"}', { status: 404 }));
  const files = new ChatFiles({ credentials: () => who, csrf: {}, maxBytes: 0, fetch });
  const got = await files.download({ id: 'f/1', name: 'a.txt', size: 5, type: 'text/plain' });
  assert.equal(got.ok, true);
  assert.equal(await got.blob.text(), 'bytes');
  assert.equal(calls[0].url, '/r/ab%20cd/files/f%2F1');
  assert.deepEqual(calls[0].init.headers, { 'X-Parley-Participant': 'p-1', 'X-Parley-File-Key': 'k3y' });
  assert.deepEqual(await files.download({ id: 'gone', name: 'b', size: 1, type: 'x/y' }), { ok: false, problem: 'not-found' });
});

test('sizes for people', () => {
  assert.equal(formatSize(0, 'en'), '0 B');
  assert.equal(formatSize(980, 'en'), '980 B');
  assert.equal(formatSize(12.5 * 1024, 'en'), '12.5 KB');
  assert.equal(formatSize(50 * 1024 * 1024, 'en'), '50.0 MB');
  assert.equal(formatSize(150 * 1024 * 1024, 'en'), '150 MB');
});
