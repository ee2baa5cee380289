package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void samplesInCanonicalOrderAreWrittenBackByteForByte(int index) throws SdpParseException {
        String lf = SdpSamples.ALL[index];

        assertThat(SdpWriter.write(SdpParser.parse(lf))).isEqualTo(SdpSamples.crlf(lf));
        assertThat(SdpWriter.write(SdpParser.parse(SdpSamples.crlf(lf)))).isEqualTo(SdpSamples.crlf(lf));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void parseWriteParseIsStable(int index) throws SdpParseException {
        String once = SdpWriter.write(SdpParser.parse(SdpSamples.ALL[index]));
        String twice = SdpWriter.write(SdpParser.parse(once));

        assertThat(twice).isEqualTo(once);
    }
}
