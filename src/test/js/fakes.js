// Test doubles for the meeting client's pure modules: a WebSocket, an RTCPeerConnection and timers.

export class FakeSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
  }

  open() {
    this.readyState = 1;
    this.onopen && this.onopen({});
  }

  /** The server sends a message (object or raw text). */
  deliver(message) {
    this.onmessage && this.onmessage({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  /** The server (or network) closes the socket. */
  drop() {
    this.readyState = 3;
    this.onerror && this.onerror({});
    this.onclose && this.onclose({ code: 1006 });
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(text));
  }

  close(code) {
    this.closedWith = code;
    this.readyState = 3;
  }

  sentOfType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

export class FakeTrack {
  constructor(kind, id = kind + Math.random().toString(36).slice(2)) {
    this.kind = kind;
    this.id = id;
    this.enabled = true;
  }
}

/**
 * A peer connection that understands a toy SDP: one line per m-section, "kind mid direction" (e.g. "audio 0
 * recvonly"). Remote sendonly sections get a receiver track and fire 'track'.
 */
export class FakePeerConnection extends EventTarget {
  constructor() {
    super();
    this.transceivers = [];
    this.localDescription = null;
    this.remoteDescription = null;
    this.log = [];
    this.closed = false;
    this.failNextRemote = false;
  }

  async setRemoteDescription(desc) {
    this.log.push(`remote ${desc.type}`);
    if (this.failNextRemote) {
      this.failNextRemote = false;
      throw new Error('bad sdp');
    }
    await Promise.resolve();
    this.remoteDescription = desc;
    for (const line of desc.sdp.split('\n').filter(Boolean)) {
      const [kind, mid, direction] = line.split(' ');
      let t = this.transceivers.find((x) => x.mid === mid);
      if (!t) {
        t = {
          mid,
          kind,
          direction: 'recvonly',
          currentDirection: null,
          stopped: false,
          receiver: { track: new FakeTrack(kind, `remote-${mid}`) },
          sender: {
            track: null,
            streams: [],
            replaceTrack: async (track) => {
              t.sender.track = track;
            },
            setStreams: (...streams) => {
              t.sender.streams = streams;
            },
          },
        };
        this.transceivers.push(t);
        if (direction === 'sendonly') {
          const event = new Event('track');
          event.track = t.receiver.track;
          event.transceiver = t;
          event.streams = [];
          this.dispatchEvent(event);
        }
      }
      t.remoteDirection = direction;
    }
  }

  async createAnswer() {
    this.log.push('create answer');
    const lines = this.transceivers.map((t) => `${t.kind} ${t.mid} ${this.answerDirection(t)}`);
    return { type: 'answer', sdp: lines.join('\n') };
  }

  answerDirection(t) {
    const remote = t.remoteDirection;
    if (remote === 'inactive') return 'inactive';
    if (remote === 'sendonly') return t.direction === 'recvonly' || t.direction === 'sendrecv' ? 'recvonly' : 'inactive';
    if (remote === 'recvonly') return t.direction === 'sendonly' || t.direction === 'sendrecv' ? 'sendonly' : 'inactive';
    return t.direction;
  }

  async setLocalDescription(desc) {
    this.log.push(`local ${desc.type}`);
    await Promise.resolve();
    this.localDescription = desc;
    for (const t of this.transceivers) t.currentDirection = this.answerDirection(t);
  }

  getTransceivers() {
    return [...this.transceivers];
  }

  close() {
    this.closed = true;
  }
}

export class FakeTimers {
  constructor() {
    this.intervals = new Map();
    this.timeouts = new Map();
    this.next = 1;
    /** The fake clock, in milliseconds; advance() moves it. */
    this.now = 0;
  }

  setTimeout(fn, ms) {
    const id = this.next++;
    this.timeouts.set(id, { fn, at: this.now + Math.max(0, ms || 0) });
    return id;
  }

  clearTimeout(id) {
    this.timeouts.delete(id);
  }

  /** Moves the clock on, running the timeouts that fall due on the way, in order. */
  advance(ms) {
    const until = this.now + ms;
    for (let guard = 0; guard < 1000; guard++) {
      const due = [...this.timeouts.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timeouts.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].fn();
    }
    this.now = until;
  }

  setInterval(fn, ms) {
    const id = this.next++;
    this.intervals.set(id, { fn, ms });
    return id;
  }

  clearInterval(id) {
    this.intervals.delete(id);
  }

  /** Runs every interval callback once. */
  tick() {
    for (const { fn } of [...this.intervals.values()]) fn();
  }
}

/** Lets queued promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
