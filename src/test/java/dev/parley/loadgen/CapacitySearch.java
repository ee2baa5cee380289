package dev.parley.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adds participants (all publishing, in rooms of a fixed size) step by step and measures each step, until loss or
 * the p99 added latency passes its limit, a join fails, or the participant or time budget runs out. The report keeps
 * every step; the last one within the limits is the answer.
 */
final class CapacitySearch {

    private CapacitySearch() {
    }

    static void run(LoadOptions options, LoadRun run, LoadReport report, PrintStream progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + options.capacityMaxTime().toNanos();
        double p99Limit = options.p99Limit().toNanos() / 1e6;
        int roomSize = options.capacityRoomSize();
        LoadRun.Room room = null;
        for (int step = 1; ; step++) {
            int before = run.participants().size();
            if (before + options.capacityStep() > options.capacityMaxParticipants()) {
                report.stoppedBecause("the next step would pass --capacity-max-participants="
                        + options.capacityMaxParticipants());
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                report.stoppedBecause("the time budget --capacity-max-time=" + options.capacityMaxTime() + " ran out");
                return;
            }
            try {
                int toAdd = options.capacityStep();
                int roomFill = room == null ? roomSize : room.members().size();
                List<LoadRun.Joining> joinings = new ArrayList<>();
                while (toAdd > 0) {
                    if (room == null || roomFill >= roomSize) {
                        room = run.openRoom(roomSize);
                        roomFill = 0;
                    }
                    int n = Math.min(toAdd, roomSize - roomFill);
                    joinings.add(new LoadRun.Joining(room, n, 0));
                    roomFill += n;
                    toAdd -= n;
                }
                run.join(joinings);
            } catch (IOException e) {
                String reason = "join failed: " + e.getMessage();
                report.step(new LoadReport.Step(step, run.participants().size(), false, reason, null));
                report.stoppedBecause("step " + step + ": " + reason);
                return;
            }
            int participants = run.participants().size();
            progress.printf(Locale.ROOT, "step %d: %d participants in %d rooms joined; measuring%n", step,
                    participants, run.rooms().size());
            List<String> missing = run.awaitFlowing(options.settleTimeout());
            Figures figures;
            try {
                figures = run.measure(options.warmup(), options.duration());
            } catch (IOException e) {
                report.step(new LoadReport.Step(step, participants, false, "measuring failed: " + e.getMessage(),
                        null));
                report.stoppedBecause("step " + step + ": the relay could not be read: " + e.getMessage());
                return;
            }
            List<String> unhealthy = run.unhealthy();
            String reason = verdict(figures, missing, unhealthy, options.lossLimitPercent(), p99Limit);
            boolean passed = reason == null;
            report.step(new LoadReport.Step(step, participants, passed, reason, figures));
            progress.printf(Locale.ROOT, "step %d: %s forwarded packets/s, loss %.3f %%, p99 %.2f ms: %s%n", step,
                    figures.relay().forwardedPacketsPerSecond(), figures.delivery().lossPercent(),
                    figures.delivery().latency().p99Millis(), passed ? "ok" : reason);
            if (!passed) {
                unhealthy.stream().limit(5).forEach(report::problem);
                report.stoppedBecause("step " + step + ": " + reason);
                return;
            }
        }
    }

    /** Null when the step is within the limits, else why not. */
    static String verdict(Figures f, List<String> missing, List<String> unhealthy, double lossLimit,
            double p99LimitMillis) {
        Figures.DeliveryFigures d = f.delivery();
        if (!unhealthy.isEmpty()) {
            return unhealthy.size() + " participants lost their connection";
        }
        if (!missing.isEmpty() || d.streamsMissing() > 0) {
            return Math.max(missing.size(), d.streamsMissing()) + " streams without packets";
        }
        if (d.lossPercent() > lossLimit) {
            return String.format(Locale.ROOT, "loss %.3f %% > %.3f %%", d.lossPercent(), lossLimit);
        }
        if (d.undeliveredPercent() > lossLimit) {
            return String.format(Locale.ROOT, "undelivered %.3f %% > %.3f %%", d.undeliveredPercent(), lossLimit);
        }
        if (d.latency().p99Millis() > p99LimitMillis) {
            return String.format(Locale.ROOT, "p99 %.2f ms > %.2f ms", d.latency().p99Millis(), p99LimitMillis);
        }
        return null;
    }
}
