package dev.parley.testing;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Allocation-free property checks for the per-input hot path of Jazzer {@code @FuzzTest} targets. AssertJ builds an
 * assertion object (and boxes its values) on every call, which cost the fuzz targets most of their executions per
 * second; these do a plain comparison and build a message only when it fails. Each throws {@link AssertionError},
 * which Jazzer reports as a finding like any other.
 */
public final class FuzzChecks {

    private FuzzChecks() {
    }

    /** Fails with {@code what} unless {@code condition} holds. */
    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    public static void equal(long actual, long expected, String what) {
        if (actual != expected) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    public static void equal(boolean actual, boolean expected, String what) {
        if (actual != expected) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    /** {@link Objects#equals} equality. */
    public static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    public static void equal(byte[] actual, byte[] expected, String what) {
        if (!Arrays.equals(actual, expected)) {
            throw new AssertionError(what + ": expected " + hex(expected) + " but was " + hex(actual));
        }
    }

    /** {@code min <= actual <= max}. */
    public static void between(long actual, long min, long max, String what) {
        if (actual < min || actual > max) {
            throw new AssertionError(what + ": expected " + min + ".." + max + " but was " + actual);
        }
    }

    /** {@code actual >= min}. */
    public static void atLeast(long actual, long min, String what) {
        if (actual < min) {
            throw new AssertionError(what + ": expected at least " + min + " but was " + actual);
        }
    }

    /** {@code actual <= max}. */
    public static void atMost(long actual, long max, String what) {
        if (actual > max) {
            throw new AssertionError(what + ": expected at most " + max + " but was " + actual);
        }
    }

    private static String hex(byte[] b) {
        return b == null ? "null" : HexFormat.of().formatHex(b);
    }
}
