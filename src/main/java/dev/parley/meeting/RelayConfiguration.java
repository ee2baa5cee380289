package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.ice.SourceFilter;
import dev.parley.relay.ice.SourceRateLimiter;
import dev.parley.relay.router.RtpCodecSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one place where the plain-Java relay meets Spring: it is built from {@link MediaProperties} and closed on stop. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean(destroyMethod = "close")
    Relay relay(MediaProperties properties) throws IOException {
        return Relay.start(toConfig(properties));
    }

    static RelayConfig toConfig(MediaProperties properties) throws IOException {
        List<InetAddress> announced = new ArrayList<>();
        for (String address : properties.announcedAddresses()) {
            if (!address.isBlank()) {
                announced.add(resolve(address.strip()));
            }
        }
        List<RtpCodecSpec> codecs = new ArrayList<>();
        for (String name : properties.videoCodecs()) {
            RtpCodecSpec spec = RtpCodecSpec.canonical(name.strip());
            if (spec == null || spec.kind() != dev.parley.relay.router.MediaKind.VIDEO) {
                throw new IllegalArgumentException("parley.media.video-codecs: unknown video codec " + name);
            }
            codecs.add(spec);
        }
        DtlsCertificate certificate = null;
        if (!properties.certificate().isBlank()) {
            certificate = DtlsCertificate.load(Path.of(properties.certificate()), Path.of(properties.privateKey()));
        }
        return new RelayConfig(resolve(properties.bindAddress()), properties.port(), announced,
                SourceFilter.of(properties.allowedSources()), properties.consentTimeout(), properties.videoBitrate(),
                codecs, certificate, properties.dtlsThreads(), new SourceRateLimiter.Limits(
                        properties.stunBurstPerSource(), properties.stunRatePerSource(), properties.dtlsBurstPerSource(),
                        properties.dtlsRatePerSource(), SourceRateLimiter.Limits.defaults().maxSources(),
                        SourceRateLimiter.Limits.defaults().idleNanos()));
    }

    private static InetAddress resolve(String address) throws UnknownHostException {
        return InetAddress.getByName(address);
    }
}
