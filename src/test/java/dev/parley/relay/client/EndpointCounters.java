package dev.parley.relay.client;

/**
 * Datagram-level counters of one endpoint; every drop is counted somewhere.
 *
 * @param datagramsReceived     every datagram read from the socket
 * @param droppedUnknownSource  DTLS/SRTP/SRTCP from an address other than the nominated peer
 * @param droppedUnknownKind    first byte outside the RFC 7983 ranges we handle
 * @param keptBeforeKeys        SRTP/SRTCP that came before the SRTP keys existed, kept and handled once they did
 * @param droppedNotConnected   SRTP/SRTCP before the SRTP keys existed, beyond those kept
 * @param srtpFailures          SRTP packets that failed to authenticate or decrypt (or replays)
 * @param srtcpFailures         the same for SRTCP
 * @param rtpMalformed          decrypted RTP that is not well-formed
 * @param rtcpMalformed         decrypted RTCP datagrams whose compound walk failed part way
 * @param senderReports         RTCP SRs received
 * @param receiverReports       RTCP RRs received
 * @param pictureLossIndications PLIs received
 * @param fullIntraRequests     FIRs received
 * @param nacks                 generic NACK packets received
 * @param goodbyes              BYE packets received
 * @param rtcpReportsSent       report datagrams sent
 * @param sendErrors            datagrams that failed in protection or in the socket
 * @param dtlsDropped           DTLS datagrams dropped (queue full, oversized, not DTLS, after close)
 */
public record EndpointCounters(long datagramsReceived, long droppedUnknownSource, long droppedUnknownKind,
                               long keptBeforeKeys, long droppedNotConnected, long srtpFailures, long srtcpFailures,
                               long rtpMalformed, long rtcpMalformed, long senderReports, long receiverReports,
                               long pictureLossIndications, long fullIntraRequests, long nacks, long goodbyes,
                               long rtcpReportsSent, long sendErrors, long dtlsDropped) {
}
