package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A subnet that an interface here is on (a namespace's veth left behind) is never handed out again. */
class SubnetsTest {

    @Test
    void aSubnetOnAnInterfaceIsNotHandedOut() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create(new File("target/subnets-test"))) {
            int onVeth = Integer.parseInt(namespace.address().split("\\.")[2]);
            Set<Integer> handedOut = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                handedOut.add(Subnets.unused(213));
            }
            assertThat(handedOut).as("the namespace's veth is on 10.213.%d.2", onVeth).doesNotContain(onVeth)
                    .hasSizeGreaterThan(90).allMatch(x -> x >= 100 && x <= 199);
            assertThat(Subnets.unused(7, 213)).isNotEqualTo(onVeth);
        }
    }
}
