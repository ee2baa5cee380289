package dev.parley.relay.client;

import java.net.InetSocketAddress;

/**
 * What the ICE agent did so far.
 *
 * @param checksSent            connectivity checks sent, retransmissions included
 * @param successResponses      success responses that matched a check and passed MESSAGE-INTEGRITY
 * @param integrityFailures     responses dropped because MESSAGE-INTEGRITY (remote ice-pwd) or FINGERPRINT failed
 * @param errorResponses        error responses received
 * @param lastErrorCode         the latest ERROR-CODE (e.g. 401), 0 if none
 * @param unmatchedResponses    responses with an unknown transaction id or from an address we did not check
 * @param selected              the nominated remote address, or null
 * @param mappedAddress         our address as the peer saw it (XOR-MAPPED-ADDRESS), or null
 * @param consentRequests       consent freshness checks sent (RFC 7675)
 * @param consentResponses      verified answers to them
 */
public record IceStats(long checksSent, long successResponses, long integrityFailures, long errorResponses,
                       int lastErrorCode, long unmatchedResponses, InetSocketAddress selected,
                       InetSocketAddress mappedAddress, long consentRequests, long consentResponses) {
}
