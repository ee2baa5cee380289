package dev.parley.testing;

import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test subnets that no interface here is on. A test's network namespace takes 10.A.X.0/24 for one or more A; a
 * namespace that a killed run left behind keeps its veth and its address on this side, and a new namespace drawn
 * into the same /24 would send its traffic down the stale veth ("Parley did not start in the namespace").
 */
public final class Subnets {

    private static final int FIRST = 100;
    private static final int COUNT = 100;

    private Subnets() {
    }

    /**
     * An X in 100-199, at random among those for which no interface has an address in 10.A.X.0/24 for any of the
     * given A ({@code secondOctets}).
     */
    public static int unused(int... secondOctets) {
        Set<Integer> taken = onInterfaces(secondOctets);
        List<Integer> candidates = new ArrayList<>();
        for (int x = FIRST; x < FIRST + COUNT; x++) {
            if (!taken.contains(x)) {
                candidates.add(x);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("every subnet 10.A." + FIRST + "-" + (FIRST + COUNT - 1) + ".0/24 for A in "
                    + Arrays.toString(secondOctets)
                    + " is on an interface here: namespaces left behind? (ip netns list)");
        }
        Collections.shuffle(candidates);
        return candidates.get(0);
    }

    /** The X of every address 10.A.X.Y on an interface here, for the given A. */
    private static Set<Integer> onInterfaces(int[] secondOctets) {
        Set<Integer> taken = new HashSet<>();
        try {
            for (NetworkInterface link : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(link.getInetAddresses())) {
                    byte[] bytes = address.getAddress();
                    if (address instanceof Inet4Address && bytes[0] == 10 && contains(secondOctets, bytes[1] & 0xff)) {
                        taken.add(bytes[2] & 0xff);
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list this machine's interfaces", e);
        }
        return taken;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
