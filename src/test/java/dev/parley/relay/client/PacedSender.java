package dev.parley.relay.client;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends synthetic media at a steady pace for a bounded time, on the endpoint's timer: audio packets at a fixed rate,
 * and video frames at a frame rate sized to a bitrate, with a key frame first, then every key frame interval (a
 * burst {@code keyframeSizeFactor} times the usual frame), and whenever a PLI or FIR asks for one.
 *
 * <p>Started by {@link WebRtcEndpoint#startPacedSending}; stops by itself after the duration, on {@link #stop()}, or
 * when the endpoint closes.
 */
public final class PacedSender {

    /**
     * @param audioPacketsPerSecond 50 is Opus with 20 ms frames
     * @param videoBitrate          bits per second, key frame bursts not included
     * @param spreadFrames          send each video frame's packets evenly over the frame interval, as a browser's
     *                              pacer smooths them, instead of all at once (the worst case for a relay)
     */
    public record Options(boolean audio, int audioPacketsPerSecond, int audioPayloadBytes, boolean video,
                          int videoBitrate, int videoFramesPerSecond, Duration keyframeInterval,
                          int keyframeSizeFactor, Duration duration, boolean spreadFrames) {

        /** The longest a paced sender may run: it is for tests and load runs, not for forgotten background noise. */
        public static final Duration MAX_DURATION = Duration.ofHours(2);

        public Options {
            if (audio && (audioPacketsPerSecond < 1 || audioPacketsPerSecond > 10_000 || audioPayloadBytes < 1)) {
                throw new IllegalArgumentException("audio needs 1..10000 packets per second and a payload size");
            }
            if (video && (videoBitrate < 1_000 || videoFramesPerSecond < 1 || videoFramesPerSecond > 240
                    || keyframeSizeFactor < 1 || keyframeInterval == null || keyframeInterval.isNegative()
                    || keyframeInterval.isZero())) {
                throw new IllegalArgumentException("video needs a bitrate >= 1000, 1..240 fps, a key frame interval"
                        + " and a size factor >= 1");
            }
            if (duration == null || duration.isNegative() || duration.isZero()
                    || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration must be positive and at most " + MAX_DURATION);
            }
        }

        /** 50 audio packets/s of 100 bytes, 500 kbit/s of 30 fps video, a 4x key frame every 2 s. */
        public static Options defaults(Duration duration) {
            return new Options(true, 50, 100, true, 500_000, 30, Duration.ofSeconds(2), 4, duration, false);
        }

        public Options withAudio(boolean on) {
            return new Options(on, audioPacketsPerSecond, audioPayloadBytes, video, videoBitrate,
                    videoFramesPerSecond, keyframeInterval, keyframeSizeFactor, duration, spreadFrames);
        }

        public Options withVideo(boolean on) {
            return new Options(audio, audioPacketsPerSecond, audioPayloadBytes, on, videoBitrate,
                    videoFramesPerSecond, keyframeInterval, keyframeSizeFactor, duration, spreadFrames);
        }

        public Options withAudioRate(int packetsPerSecond, int payloadBytes) {
            return new Options(audio, packetsPerSecond, payloadBytes, video, videoBitrate, videoFramesPerSecond,
                    keyframeInterval, keyframeSizeFactor, duration, spreadFrames);
        }

        public Options withVideoRate(int bitrate, int framesPerSecond) {
            return new Options(audio, audioPacketsPerSecond, audioPayloadBytes, video, bitrate, framesPerSecond,
                    keyframeInterval, keyframeSizeFactor, duration, spreadFrames);
        }

        public Options withKeyframes(Duration interval, int sizeFactor) {
            return new Options(audio, audioPacketsPerSecond, audioPayloadBytes, video, videoBitrate,
                    videoFramesPerSecond, interval, sizeFactor, duration, spreadFrames);
        }

        public Options withSpreadFrames(boolean on) {
            return new Options(audio, audioPacketsPerSecond, audioPayloadBytes, video, videoBitrate,
                    videoFramesPerSecond, keyframeInterval, keyframeSizeFactor, duration, on);
        }
    }

    private final OutboundStream audio;
    private final OutboundStream video;
    private final Options options;
    private final ScheduledExecutorService timer;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private ScheduledFuture<?> audioTask;
    private ScheduledFuture<?> videoTask;
    private long deadlineNanos;
    private long lastKeyframeNanos;
    private boolean firstFrame = true;
    private final AtomicLong packetsSent = new AtomicLong();
    private volatile long framesSent;

    PacedSender(OutboundStream audio, OutboundStream video, Options options, ScheduledExecutorService timer) {
        this.audio = audio;
        this.video = video;
        this.options = options;
        this.timer = timer;
    }

    synchronized void start() {
        deadlineNanos = System.nanoTime() + options.duration().toNanos();
        try {
            if (audio != null) {
                running.incrementAndGet();
                audioTask = timer.scheduleAtFixedRate(this::audioTick, 0,
                        1_000_000_000L / options.audioPacketsPerSecond(), TimeUnit.NANOSECONDS);
            }
            if (video != null) {
                running.incrementAndGet();
                videoTask = timer.scheduleAtFixedRate(this::videoTick, 0,
                        1_000_000_000L / options.videoFramesPerSecond(), TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException closing) {
            stop();
            return;
        }
        if (running.get() == 0) {
            finished.countDown();
        }
    }

    private void audioTick() {
        if (System.nanoTime() - deadlineNanos >= 0) {
            done(false);
            return;
        }
        if (audio.sendAudio(options.audioPayloadBytes())) {
            packetsSent.incrementAndGet();
        }
    }

    private long currentFrame; // guarded by this

    private void videoTick() {
        long now = System.nanoTime();
        if (now - deadlineNanos >= 0) {
            done(true);
            return;
        }
        boolean keyframe = firstFrame || now - lastKeyframeNanos >= options.keyframeInterval().toNanos();
        int frameBytes = Math.max(1, options.videoBitrate() / 8 / options.videoFramesPerSecond());
        if (keyframe) {
            frameBytes *= options.keyframeSizeFactor();
            lastKeyframeNanos = now;
        }
        int sent;
        if (options.spreadFrames()) {
            synchronized (this) {
                // The previous frame's unsent packets go out first, counted here (startVideoFrame would send them
                // uncounted).
                sent = currentFrame == 0 ? 0 : video.sendFramePackets(currentFrame, Integer.MAX_VALUE);
                long frame = video.startVideoFrame(frameBytes, keyframe);
                currentFrame = frame;
                sent += video.sendFramePackets(frame, 1);
                int left = video.framePacketsLeft(frame);
                if (left > 0) {
                    long spacing = 1_000_000_000L / options.videoFramesPerSecond() / (left + 1);
                    scheduleFramePacket(frame, spacing);
                }
            }
        } else {
            sent = video.sendVideoFrame(frameBytes, keyframe);
        }
        if (sent > 0) {
            firstFrame = false;
            packetsSent.addAndGet(sent);
            framesSent = framesSent + 1;
        }
    }

    /** Sends the frame's next packet after {@code spacingNanos}, then the next, until the frame is out or replaced. */
    private void scheduleFramePacket(long frame, long spacingNanos) {
        try {
            timer.schedule(() -> {
                synchronized (this) { // not after done() or stop(): what packetsSent() says then is final
                    if (videoTask == null || videoTask.isCancelled()) {
                        return;
                    }
                    int sent = video.sendFramePackets(frame, 1);
                    packetsSent.addAndGet(sent);
                    if (sent > 0 && video.framePacketsLeft(frame) > 0) {
                        scheduleFramePacket(frame, spacingNanos);
                    }
                }
            }, spacingNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the endpoint is closing; the next frame would finish this one anyway
        }
    }

    private synchronized void done(boolean videoTick) {
        ScheduledFuture<?> task = videoTick ? videoTask : audioTask;
        if (task != null && !task.isCancelled()) {
            task.cancel(false);
            if (running.decrementAndGet() == 0) {
                finished.countDown();
            }
        }
    }

    /** Stops sending now. Idempotent. */
    public synchronized void stop() {
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {audioTask, videoTask}) {
            if (task != null) {
                task.cancel(false);
            }
        }
        running.set(0);
        finished.countDown();
    }

    /** Waits for the duration to run out (or {@link #stop()}); false on timeout. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** RTP packets this sender got out, audio and video. */
    public long packetsSent() {
        return packetsSent.get();
    }

    public long framesSent() {
        return framesSent;
    }
}
