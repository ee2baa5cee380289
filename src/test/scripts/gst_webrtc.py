#!/usr/bin/python3
"""A WHIP publisher or WHEP player built on GStreamer's webrtcbin (ICE by libnice), for Parley's interop test.

Usage: gst_webrtc.py <whip|whep> <endpoint URL> <bearer token> <max seconds>
       gst_webrtc.py check    (exits 0 if every GStreamer element it needs is installed, else says which are not)

whip: publishes a test pattern (VP8) and a tone (Opus). whep: receives audio and video and decodes them into fake
sinks. Prints one JSON line a second on stdout (connection states and counters); ends after <max seconds> or on a line
"stop" on stdin, DELETEs its session resource and exits. A failure before the media flows is one JSON line with an
"error" and a non-zero exit.

Debian's simple-whip-client cannot be used instead: it links libsoup 2, while libnice (through gupnp-igd) loads
libsoup 3, and libsoup aborts a process that has both. Python's own HTTP client avoids libsoup altogether.
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstSdp", "1.0")
    gi.require_version("GstWebRTC", "1.0")
    from gi.repository import GLib, Gst, GstSdp, GstWebRTC
except (ImportError, ValueError) as missing_bindings:
    sys.stdout.write(json.dumps({"error": "GStreamer's Python bindings are missing (Debian: python3-gi, "
                                          "gir1.2-gstreamer-1.0, gir1.2-gst-plugins-base-1.0, "
                                          "gir1.2-gst-plugins-bad-1.0): %s" % missing_bindings}) + "\n")
    sys.exit(1)

HTTP_TIMEOUT_SECONDS = 10
# Parley takes no trickled candidates (PATCH is refused), so the offer waits for gathering, at most this long.
GATHERING_SECONDS = 5

PUBLISHER = """
webrtcbin name=webrtc bundle-policy=max-bundle
videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert ! queue
  ! vp8enc deadline=1 keyframe-max-dist=30 target-bitrate=300000 ! rtpvp8pay pt=96 picture-id-mode=15-bit
  ! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! identity name=video-out
  ! webrtc.
audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! queue ! opusenc ! rtpopuspay pt=111
  ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! identity name=audio-out
  ! webrtc.
"""

PLAYER_CAPS = {
    "audio": "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2",
    "video": "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,"
             "rtcp-fb-nack-pli=(boolean)true,rtcp-fb-nack=(boolean)true,rtcp-fb-ccm-fir=(boolean)true",
}
DECODERS = {
    "audio": "queue ! rtpopusdepay ! opusdec ! fakesink name=decoded sync=false",
    "video": "queue ! rtpvp8depay ! vp8dec ! fakesink name=decoded sync=false",
}


def emit(line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


class Client:
    def __init__(self, mode, url, token, max_seconds):
        self.mode = mode
        self.url = url
        self.token = token
        self.deadline = time.monotonic() + max_seconds
        self.started = time.monotonic()
        self.loop = GLib.MainLoop()
        if mode == "whip":
            self.pipeline = Gst.parse_launch(PUBLISHER)
            self.webrtc = self.pipeline.get_by_name("webrtc")
        else:
            # The player's decoders are added as its streams arrive; it starts as webrtcbin alone.
            self.pipeline = Gst.Pipeline.new("player")
            self.webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
            self.webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
            self.pipeline.add(self.webrtc)
        self.resource = None
        self.exit_code = 0
        self.offered = False
        self.stopped = False
        self.lock = threading.Lock()
        # kind -> counters; RTP packets and bytes through webrtcbin (sent: before SRTP, received: after SRTP, so only
        # authenticated packets count), and buffers leaving the decoders on the player.
        self.packets = {"audio": 0, "video": 0}
        self.bytes = {"audio": 0, "video": 0}
        self.decoded = {"audio": 0, "video": 0}

    # --- set-up -----------------------------------------------------------------------------------------------------

    def run(self):
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_error)
        if self.mode == "whip":
            for kind in ("audio", "video"):
                self.count(self.pipeline.get_by_name(kind + "-out").get_static_pad("src"), kind, self.packets,
                           self.bytes)
        else:
            for kind in ("audio", "video"):
                caps = Gst.Caps.from_string(PLAYER_CAPS[kind])
                self.webrtc.emit("add-transceiver", GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY, caps)
            self.webrtc.connect("pad-added", self.on_incoming)
        self.webrtc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering)
        if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            self.fail("the pipeline did not start")
            return self.exit_code
        GLib.timeout_add_seconds(1, self.report)
        GLib.timeout_add_seconds(GATHERING_SECONDS + 1, self.offer_anyway)
        threading.Thread(target=self.read_stdin, daemon=True).start()
        self.loop.run()
        return self.exit_code

    def count(self, pad, kind, packets, octets):
        def probe(_pad, info):
            buffer = info.get_buffer()
            if buffer is not None:
                with self.lock:
                    packets[kind] += 1
                    octets[kind] += buffer.get_size()
            return Gst.PadProbeReturn.OK

        pad.add_probe(Gst.PadProbeType.BUFFER, probe)

    def on_incoming(self, _webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        kind = caps.get_structure(0).get_string("media")
        if kind not in DECODERS:
            return
        branch = Gst.parse_bin_from_description(DECODERS[kind], True)
        self.pipeline.add(branch)
        branch.sync_state_with_parent()
        pad.link(branch.get_static_pad("sink"))
        self.count(pad, kind, self.packets, self.bytes)
        self.count(branch.get_by_name("decoded").get_static_pad("sink"), kind, self.decoded, {"audio": 0, "video": 0})

    # --- negotiation ------------------------------------------------------------------------------------------------

    def on_negotiation_needed(self, _webrtc):
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        self.webrtc.emit("create-offer", None, promise)

    def on_offer_created(self, promise, _data):
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None else None
        if offer is None:
            GLib.idle_add(self.fail, "webrtcbin created no offer")
            return
        self.webrtc.emit("set-local-description", offer, Gst.Promise.new())

    def on_gathering(self, _webrtc, _spec):
        if self.webrtc.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            GLib.idle_add(self.send_offer)

    def offer_anyway(self):
        self.send_offer()
        return False

    def send_offer(self):
        if self.offered:
            return False
        local = self.webrtc.get_property("local-description")
        if local is None:
            return False
        self.offered = True
        offer = local.sdp.as_text()
        request = urllib.request.Request(self.url, data=offer.encode(), method="POST", headers={
            "Content-Type": "application/sdp", "Authorization": "Bearer " + self.token})
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                answer = response.read().decode()
                self.resource = urllib.parse.urljoin(self.url, response.headers["Location"])
        except (urllib.error.URLError, OSError) as e:
            body = e.read().decode(errors="replace") if isinstance(e, urllib.error.HTTPError) else ""
            self.fail("%s POST failed: %s %s" % (self.mode.upper(), e, body.strip()))
            return False
        result, message = GstSdp.SDPMessage.new_from_text(answer)
        if result != GstSdp.SDPResult.OK:
            self.fail("unreadable SDP answer")
            return False
        description = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.webrtc.emit("set-remote-description", description, Gst.Promise.new())
        emit({"event": "answered", "resource": self.resource, "offer": offer, "answer": answer})
        return False

    # --- running and stopping ---------------------------------------------------------------------------------------

    def report(self):
        with self.lock:
            line = {
                "mode": self.mode,
                "seconds": round(time.monotonic() - self.started, 1),
                "ice": self.webrtc.get_property("ice-connection-state").value_nick,
                "connection": self.webrtc.get_property("connection-state").value_nick,
                "packets": dict(self.packets),
                "bytes": dict(self.bytes),
            }
            if self.mode == "whep":
                line["decoded"] = dict(self.decoded)
        emit(line)
        if time.monotonic() >= self.deadline:
            self.stop()
            return False
        return True

    def read_stdin(self):
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        # "stop", or the test's end of stdin: either way the session ends.
        GLib.idle_add(self.stop)

    def on_error(self, _bus, message):
        error, debug = message.parse_error()
        self.fail("%s (%s)" % (error.message, debug))

    def fail(self, why):
        emit({"error": why})
        self.exit_code = 1
        self.stop()
        return False

    def stop(self):
        if self.stopped:
            return False
        self.stopped = True
        if self.resource is not None:
            request = urllib.request.Request(self.resource, method="DELETE",
                                             headers={"Authorization": "Bearer " + self.token})
            try:
                with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                    emit({"event": "deleted", "status": response.status})
            except (urllib.error.URLError, OSError) as e:
                emit({"event": "delete-failed", "why": str(e)})
            self.resource = None
        self.pipeline.set_state(Gst.State.NULL)
        if self.loop.is_running():
            self.loop.quit()
        return False


# Element, and the Debian package that has it.
ELEMENTS = {
    "webrtcbin": "gstreamer1.0-plugins-bad", "nicesrc": "gstreamer1.0-nice", "vp8enc": "gstreamer1.0-plugins-good",
    "vp8dec": "gstreamer1.0-plugins-good", "rtpvp8pay": "gstreamer1.0-plugins-good",
    "rtpopuspay": "gstreamer1.0-plugins-good", "opusenc": "gstreamer1.0-plugins-base",
    "opusdec": "gstreamer1.0-plugins-base", "videotestsrc": "gstreamer1.0-plugins-base",
    "audiotestsrc": "gstreamer1.0-plugins-base", "dtlsenc": "gstreamer1.0-plugins-bad",
    "srtpenc": "gstreamer1.0-plugins-bad",
}


def main(argv):
    if not (len(argv) == 2 and argv[1] == "check") and not (len(argv) == 5 and argv[1] in ("whip", "whep")):
        sys.stderr.write(__doc__)
        return 2
    Gst.init(None)
    missing = ["%s (%s)" % (name, package) for name, package in ELEMENTS.items()
               if Gst.ElementFactory.find(name) is None]
    if missing:
        emit({"error": "GStreamer elements missing: " + ", ".join(missing)})
        return 1
    if argv[1] == "check":
        emit({"gstreamer": Gst.version_string()})
        return 0
    return Client(argv[1], argv[2], argv[3], float(argv[4])).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
