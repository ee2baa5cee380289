package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
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
        RelayConfig.CertificateFiles certificate = properties.certificate().isBlank() ? null
                : new RelayConfig.CertificateFiles(Path.of(properties.certificate()), Path.of(properties.privateKey()));
        RelayConfig.SourceLimits defaults = RelayConfig.SourceLimits.defaults();
        try {
            return new RelayConfig(resolve(properties.bindAddress()), properties.port(), announced,
                    properties.allowedSources(), properties.consentTimeout(), properties.videoBitrate(),
                    properties.videoCodecs(), certificate, properties.dtlsThreads(), new RelayConfig.SourceLimits(
                            properties.stunBurstPerSource(), properties.stunRatePerSource(),
                            properties.dtlsBurstPerSource(), properties.dtlsRatePerSource(), defaults.maxSources(),
                            defaults.idle()), properties.simulcast(), properties.lastN(),
                    properties.nackRepair(), properties.tcpPort(), properties.tcpShared(), properties.socket(),
                    properties.gso());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parley.media: " + e.getMessage(), e);
        }
    }

    private static InetAddress resolve(String address) throws UnknownHostException {
        return InetAddress.getByName(address);
    }
}
